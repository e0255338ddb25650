import { describe, expect, it } from 'vitest';
import { parseAuditQuery } from './audit-filter.ts';
import { csvCell, csvLine, roleLabels, shanghaiTime } from './audit-presenter.ts';

describe('csvCell', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('张三')).toBe('张三');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it('ends lines with CRLF', () => {
    expect(csvLine(['a', null, 'b'])).toBe('a,,b\r\n');
  });
});

describe('display', () => {
  it('shows times in Asia/Shanghai', () => {
    expect(shanghaiTime(new Date('2025-03-01T16:30:05.123Z'))).toBe('2025-03-02 00:30:05');
    expect(shanghaiTime(new Date('2025-03-01T16:30:05.123Z'), true)).toBe('2025-03-02 00:30:05.123');
  });

  it('names roles in Chinese', () => {
    expect(roleLabels('clerk,org_head')).toBe('办事员、部门负责人');
    expect(roleLabels(null)).toBe('');
  });
});

describe('parseAuditQuery', () => {
  it('reads civil dates in Asia/Shanghai, both ends inclusive', () => {
    const { filter, errors } = parseAuditQuery({ from: '2025-03-02', to: '2025-03-02' });
    expect(errors).toEqual([]);
    expect(filter.from?.toISOString()).toBe('2025-03-01T16:00:00.000Z');
    expect(filter.to?.toISOString()).toBe('2025-03-02T16:00:00.000Z');
  });

  it('ignores empty fields and trims the rest', () => {
    const { filter, cursor } = parseAuditQuery({ actor: '  张三 ', objectType: '', outcome: '', action: 'notice.*', before: '120' });
    expect(filter).toEqual({ actor: '张三', action: 'notice.*' });
    expect(cursor).toEqual({ before: '120' });
  });

  it('names every refused field', () => {
    const { errors } = parseAuditQuery({ from: '2025-02-30', to: '2024-01-01x', outcome: 'maybe', before: 'abc' });
    expect(errors.map((e) => e.field).sort()).toEqual(['before', 'from', 'outcome', 'to']);
    expect(errors.every((e) => /[\u4e00-\u9fa5]/.test(e.message))).toBe(true);
  });

  it('refuses a range that ends before it starts', () => {
    const { errors } = parseAuditQuery({ from: '2025-03-02', to: '2025-03-01' });
    expect(errors).toEqual([{ field: 'to', message: '截止日期不能早于起始日期' }]);
  });
});
