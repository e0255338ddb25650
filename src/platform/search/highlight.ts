/**
 * Highlighting for result titles and snippets. Matches are wrapped in \u0001 … \u0002 on
 * plain text; the view escapes the text and only then turns the markers into <mark>, so a
 * document can never inject markup through its title or body.
 */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';
// eslint-disable-next-line no-control-regex -- the markers are control characters on purpose
const MARKERS = /[\u0001\u0002]/gu;

export function highlightText(text: string, terms: string[]): string {
  const clean = text.replace(MARKERS, '');
  const lower = clean.toLowerCase();
  const hay = lower.length === clean.length ? lower : clean;
  const ranges: [number, number][] = [];
  const sorted = [...terms].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
  for (const term of sorted) {
    let from = 0;
    for (let guard = 0; guard < 200; guard++) {
      const at = hay.indexOf(term, from);
      if (at < 0) break;
      const end = at + term.length;
      if (!ranges.some(([s, e]) => at < e && end > s)) ranges.push([at, end]);
      from = end;
    }
  }
  if (ranges.length === 0) return clean;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  for (const [s, e] of ranges) {
    out += clean.slice(pos, s) + MARK_START + clean.slice(s, e) + MARK_END;
    pos = e;
  }
  return out + clean.slice(pos);
}

/** About `width` characters of `body` around the first match, highlighted. */
export function snippetOf(body: string, terms: string[], width = 120): string {
  const flat = body.replace(MARKERS, '').replace(/\s+/gu, ' ').trim();
  const lower = flat.toLowerCase();
  let at = -1;
  for (const term of [...terms].sort((a, b) => b.length - a.length)) {
    if (term.length === 0) continue;
    const i = lower.indexOf(term);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = at < 0 ? 0 : Math.max(0, at - Math.floor(width / 4));
  const piece = flat.slice(start, start + width);
  return `${start > 0 ? '…' : ''}${highlightText(piece, terms)}${start + width < flat.length ? '…' : ''}`;
}

/** Plain text of a highlighted string (for JSON clients that want none). */
export function stripMarks(s: string): string {
  return s.replace(MARKERS, '');
}
