/**
 * Abusive content (辱骂、威胁): flagged for the handler, never silently dropped — the appeal is still
 * registered and dispatched. A small word list; a deployment extends it.
 */
const WORDS = ['傻逼', '傻b', 'sb', '他妈的', '操你', '草泥马', '王八蛋', '混蛋', '狗官', '去死', '弄死你', '杀了你', '炸了', '滚蛋', '废物'];

export function abusiveWords(text: string): string[] {
  const lower = text.toLowerCase().replace(/\s+/g, '');
  return WORDS.filter((w) => (/^[a-z]+$/.test(w) ? new RegExp(`(^|[^a-z])${w}([^a-z]|$)`).test(lower) : lower.includes(w)));
}
