import { segmenter } from '../../../platform/search/segmenter.ts';

const STOP = new Set(
  '的 了 是 在 我 我们 你 您 他 她 它 有 和 与 及 或 也 就 都 而 被 把 这 那 这个 那个 一个 一些 什么 怎么 如何 请问 请 希望 能否 能 可以 要求 反映 问题 情况 一直 已经 没有 不 很 非常 还 又 对 从 到 给 让 向 为 于 上 下 中 里 后 前 时 时候 现在 目前 今天 昨天 每天 多次 相关 部门 处理 解决 谢谢 感谢 市民 本人 我家 小区 附近'.split(' '),
);

/** Jieba segmentation (the search box's instance and user dictionary), lower-cased, stop words and punctuation dropped. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const w of segmenter().cut(text.toLowerCase(), false)) {
    const t = w.trim();
    if (!t || STOP.has(t)) continue;
    if (!/[\p{Script=Han}a-z0-9]/u.test(t)) continue;
    if (/^\d+$/.test(t)) continue;
    out.push(t);
  }
  return out;
}
