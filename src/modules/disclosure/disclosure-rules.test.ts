import { describe, expect, it } from 'vitest';
import { formatNumber, parseNumberTemplate, validateNumber } from '../../platform/codes/number-template.ts';
import { nationalCalendar, parseCivilDate } from '../../platform/calendar/index.ts';
import { jurisdictionChain, orgCodeFromUscc } from './commands/index-number.ts';
import { validatePublicationInput } from './commands/validate-publication.ts';
import { deadlineState, proactiveDueOn } from './deadline.ts';
import { parseCsv, parseImportFile } from './import-file.ts';

describe('index numbers (索引号, DOMAIN.md §7.4)', () => {
  it('looks up the template of the nearest jurisdiction first', () => {
    expect(jurisdictionChain('420102')).toEqual(['420102', '420100', '420000']);
    expect(jurisdictionChain('420102002')).toEqual(['420102002', '420102', '420100', '420000']);
    expect(jurisdictionChain('420000')).toEqual(['420000']);
  });
  it('prints the organisation code held in positions 9–17 of the USCC', () => {
    expect(orgCodeFromUscc('11420000011043028H')).toBe('011043028');
    expect(orgCodeFromUscc(null)).toBeNull();
    expect(orgCodeFromUscc('123')).toBeNull();
  });
  it('formats and validates the default and a county template', () => {
    const def = parseNumberTemplate('{orgCode}/{yyyy}-{seq:5}');
    if (!def.ok) throw new Error(def.message);
    const n = formatNumber(def.template, { orgCode: '011043028', date: '2026-03-01', seq: 37 });
    expect(n).toBe('011043028/2026-00037');
    expect(validateNumber(def.template, n)).toBe(true);
    expect(validateNumber(def.template, '011043028/2026-37')).toBe(false);
    const county = parseNumberTemplate('{region6}-{yyyyMM}-{seq:4}');
    if (!county.ok) throw new Error(county.message);
    expect(formatNumber(county.template, { region: '420281', date: '2026-03-01', seq: 5 })).toBe('420281-202603-0005');
  });
});

describe('proactive deadline (条例第二十六条)', () => {
  const cal = nationalCalendar();
  it('counts 20 working days from the written date, skipping the National Day holiday', () => {
    expect(proactiveDueOn(cal, '2026-11-02', null)).toBe('2026-11-30');
    // 2025-09-26 (Fri): 09-28 and 10-11 are make-up working days, 10-01..10-08 off → the 20th is 10-30.
    expect(proactiveDueOn(cal, '2025-09-26', null)).toBe('2025-10-30');
    expect(proactiveDueOn(cal, '2026-11-02', 10)).toBe('2026-11-16');
  });
  it('turns yellow five working days before and red after the due date', () => {
    expect(deadlineState(cal, '2026-11-30', false, parseCivilDate('2026-11-02')).state).toBe('ok');
    expect(deadlineState(cal, '2026-11-30', false, parseCivilDate('2026-11-24')).state).toBe('warn');
    const late = deadlineState(cal, '2026-11-30', false, parseCivilDate('2026-12-02'));
    expect(late.state).toBe('overdue');
    expect(late.workingDaysLeft).toBe(-2);
    expect(deadlineState(cal, '2026-11-30', true, parseCivilDate('2026-12-02')).state).toBe('done');
  });
});

describe('publication input', () => {
  const ctx = { categoryCodes: new Set(['qt', 'zcjd']), today: '2026-11-29', defaultIssuingBody: '大冶市政务服务和大数据管理局' };
  it('accepts a complete publication and normalises half-width brackets in document numbers', () => {
    const { value, errors } = validatePublicationInput({ title: ' 关于 通知 ', docNumber: '冶政办发(2025)6号', writtenOn: '2025-03-25', categoryCode: 'qt', genre: '通知', body: '第一段\n\n第二段' }, ctx);
    expect(errors).toEqual([]);
    expect(value.docNumber).toBe('冶政办发〔2025〕6号');
    expect(value.bodyHtml).toBe('<p>第一段</p><p>第二段</p>');
    expect(value.issuingBody).toBe('大冶市政务服务和大数据管理局');
  });
  it('names every refused field in Chinese', () => {
    const { errors } = validatePublicationInput({ title: '<b>x</b>', docNumber: '冶政〔25〕06号', writtenOn: '2027-01-01', categoryCode: 'nope', genre: '便条', validity: 'maybe', body: '<script>x</script>', attachmentIds: 'not-a-uuid' }, ctx);
    expect(errors.map((e) => e.field).sort()).toEqual(['attachmentIds', 'body', 'categoryCode', 'docNumber', 'genre', 'title', 'validity', 'writtenOn']);
    expect(errors.find((e) => e.field === 'writtenOn')?.message).toBe('成文日期不能晚于今天');
  });
});

describe('import files', () => {
  it('parses RFC 4180 CSV with quotes, commas, newlines and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","he said ""hi""\nnext"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"\nnext'],
    ]);
  });
  it('maps Chinese headers and splits attachment lists', () => {
    const r = parseImportFile('x.csv', '来源编号,标题,附件\nS1,标题一,a.pdf;b.docx\n');
    expect(r).toEqual({ ok: true, rows: [{ sourceId: 'S1', title: '标题一', attachments: ['a.pdf', 'b.docx'] }] });
  });
  it('refuses files it cannot use, with a reason', () => {
    expect(parseImportFile('x.json', '{not json')).toEqual({ ok: false, message: '文件不是有效的 JSON' });
    expect(parseImportFile('x.json', '[{"title":"无编号"}]')).toMatchObject({ ok: false, message: expect.stringContaining('来源编号') });
    expect(parseImportFile('x.csv', 'sourceId\n')).toMatchObject({ ok: false });
  });
});
