import { describe, expect, it } from 'vitest';
import { cjkFont, extractPdfText, formatDocumentDate, renderPdf } from './index.ts';

const compact = (s: string) => s.replace(/\s+/g, '');

describe('renderPdf', () => {
  it('writes a PDF whose text extracts back to the Chinese input (ToUnicode map of the embedded subset)', async () => {
    const paragraph = '根据《中华人民共和国政府信息公开条例》第三十七条的规定，您申请的信息中含有不应当公开的内容，本机关对可以区分处理的部分予以公开。';
    const pdf = await renderPdf({
      issuer: '某某市人民政府办公室',
      documentNumber: '某政办依申〔2026〕12号',
      title: '政府信息公开申请答复书',
      addressee: '张三：',
      blocks: [
        paragraph,
        { kind: 'heading', text: '一、答复类型：部分公开' },
        { kind: 'table', columns: [{ title: '事项', width: 3 }, { title: '数量', align: 'right' }], rows: [['收到申请数', '12'], ['予以公开', '7']] },
      ],
      signature: { organisation: '某某市人民政府办公室', date: '2026-11-29' },
      notes: ['（此件依申请公开）'],
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = compact(extractPdfText(pdf));
    for (const expected of ['某某市人民政府办公室', '某政办依申〔2026〕12号', '政府信息公开申请答复书', '张三：', paragraph, '一、答复类型：部分公开', '收到申请数', '予以公开', '2026年11月29日', '（此件依申请公开）', '—1—']) {
      expect(text).toContain(compact(expected));
    }
    // The font is subset: a one-page document stays small although the font is 8 MB.
    expect(pdf.length).toBeLessThan(200_000);
    expect(cjkFont().length).toBeGreaterThan(1_000_000);
  });

  it('numbers every page "— n —" and repeats a long table on following pages', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => [`第${i + 1}项`, String(i)]);
    const pdf = await renderPdf({ title: '统计表', blocks: [{ kind: 'table', columns: [{ title: '项目' }, { title: '数量' }], rows }] });
    const text = extractPdfText(pdf);
    const pages = [...text.matchAll(/— (\d+) —/g)].map((m) => Number(m[1]));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages).toEqual(pages.map((_, i) => i + 1));
    expect(text.split('\n').filter((l) => l === '项目').length).toBe(pages.length);
    expect(compact(text)).toContain('第80项');
  });

  it('formats document dates with Arabic numerals in Asia/Shanghai', () => {
    expect(formatDocumentDate('2026-01-05')).toBe('2026年1月5日');
    expect(formatDocumentDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027年1月1日');
  });
});
