import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';

/**
 * Chinese (and mixed-script) segmentation for the one search box: jieba's search mode for
 * documents (a compound is indexed with its parts: 营业执照 → 营业 / 执照 / 营业执照), its
 * precise mode for queries, on top of a user dictionary of government terms
 * (data/user-dict.txt). Text is NFKC-normalised and lower-cased first, so full-width
 * letters and digits match their ASCII forms.
 */

const require = createRequire(import.meta.url);
const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

let jieba: Jieba | null = null;

/** The process-wide jieba instance (loading the dictionary takes ~0.2 s, once). */
export function segmenter(): Jieba {
  if (!jieba) {
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    const j = Jieba.withDict(dict);
    j.loadDict(readDataFile('user-dict.txt'));
    jieba = j;
  }
  return jieba;
}

function readDataFile(name: string): Buffer {
  const text = fs
    .readFileSync(DATA_DIR + name, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .join('\n');
  return Buffer.from(text, 'utf8');
}

/** Function words that carry no meaning on their own in a search. */
const STOP = new Set(
  '的 了 和 与 及 或 在 是 对 为 等 有 个 之 于 将 把 被 并 也 其 这 那 就 都 而 以 从 向 到 由 让 给 又 还 吗 呢 吧 啊 呀 么 我 你 他 她 它 们 该 各 每 此 其他 以及 关于 如何 怎么 怎么办 怎样 什么 哪里 哪些 多少 可以 是否 需要 要 想 请问 the a an of and or to in on for is are'.split(
    ' ',
  ),
);

/** Characters we strip before segmenting: controls and our highlight markers. */
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202f\ufeff]/gu;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').replace(CONTROL, ' ').toLowerCase();
}

/** A token is kept when it has a letter, a digit or a CJK character and is no stop word. */
const WORDLIKE = /[\p{L}\p{N}]/u;

export function isIndexableToken(token: string): boolean {
  return token.length > 0 && token.length <= 40 && WORDLIKE.test(token) && !STOP.has(token);
}

/**
 * Index-side tokens, duplicates kept (term frequency counts them): jieba's search mode, which
 * adds the 2- and 3-character words inside a longer word, plus the longer dictionary words
 * inside a word of 5+ characters (食品经营许可证 → 食品经营许可), so a query for any
 * dictionary word inside a compound finds it.
 */
export function indexTokens(text: string): string[] {
  if (!text) return [];
  const j = segmenter();
  const out: string[] = [];
  for (const t of j.cutForSearch(normalizeText(text), HMM)) {
    if (!indexable(t)) continue;
    out.push(t);
    if (t.length >= 5) for (const sub of longWordParts(t)) out.push(sub);
  }
  return out;
}

/**
 * Without jieba's HMM (new-word guessing) on both sides: 40 % faster indexing, and the index
 * and the queries cut the same way; a name jieba does not know is indexed as its characters,
 * and the query falls back to those parts (query-parser.ts).
 */
const HMM = false;

const tokenCache = new Map<string, boolean>();
function indexable(t: string): boolean {
  let ok = tokenCache.get(t);
  if (ok === undefined) {
    ok = isIndexableToken(t);
    if (tokenCache.size < 500_000) tokenCache.set(t, ok);
  }
  return ok;
}

const partsCache = new Map<string, string[]>();
function longWordParts(t: string): string[] {
  let parts = partsCache.get(t);
  if (!parts) {
    parts = segmenter()
      .cutAll(t)
      .filter((sub) => sub.length >= 4 && sub !== t);
    if (partsCache.size < 200_000) partsCache.set(t, parts);
  }
  return parts;
}

/** Query-side tokens (precise mode), in order, without duplicates. */
export function queryTokens(text: string): string[] {
  if (!text) return [];
  return [...new Set(segmenter().cut(normalizeText(text), HMM).filter(isIndexableToken))];
}

/** The search-mode parts of one token (for a query word the index never saw as a whole). */
export function tokenParts(token: string): string[] {
  return [...new Set(segmenter().cutForSearch(token, false).filter((t) => t !== token && isIndexableToken(t)))];
}

/** Synonym groups from data/synonyms.txt: term → its group (the term itself first). */
let synonymMap: Map<string, string[]> | null = null;

export function synonymsOf(term: string): string[] {
  if (!synonymMap) {
    const map = new Map<string, string[]>();
    for (const line of readDataFile('synonyms.txt').toString('utf8').split('\n')) {
      const group = line
        .split(/[,，]/u)
        .map((s) => normalizeText(s.trim()))
        .filter((s) => s !== '');
      for (const t of group) map.set(t, [...new Set([...(map.get(t) ?? []), ...group.filter((g) => g !== t)])]);
    }
    synonymMap = map;
  }
  return synonymMap.get(term) ?? [];
}
