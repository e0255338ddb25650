import { pinyin } from 'pinyin-pro';

/** Full pinyin and initials of an item name, lower case, no spaces: 食品经营许可 → shipinjingyingxuke / spjyxk. */
export function namePinyin(name: string): { full: string; initials: string } {
  const full = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'removed' }).join('').toLowerCase().replace(/[^a-z0-9]/g, '');
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'removed' }).join('').toLowerCase().replace(/[^a-z0-9]/g, '');
  return { full, initials };
}
