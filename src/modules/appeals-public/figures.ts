import type { appealPublicQueries } from '../appeals/index.ts';

type DepartmentMonth = appealPublicQueries.DepartmentMonth;

export interface FigureRow {
  key: string;
  label: string;
  received: number;
  closed: number;
  closedOnTime: number;
  rated: number;
  satisfied: number;
  complaints: number;
  repeatComplaints: number;
  /** Percentages with one decimal, null when the base is zero. */
  closedRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  repeatRate: number | null;
}

export interface Figures {
  from: string;
  to: string;
  months: string[];
  byDepartment: FigureRow[];
  byMonth: FigureRow[];
  total: FigureRow;
  cells: DepartmentMonth[];
}

const pct = (n: number, base: number): number | null => (base === 0 ? null : Math.round((n / base) * 1000) / 10);

function sum(key: string, label: string, cells: DepartmentMonth[]): FigureRow {
  const s = { received: 0, closed: 0, closedOnTime: 0, rated: 0, satisfied: 0, complaints: 0, repeatComplaints: 0 };
  for (const c of cells) {
    s.received += c.received;
    s.closed += c.closed;
    s.closedOnTime += c.closedOnTime;
    s.rated += c.rated;
    s.satisfied += c.satisfied;
    s.complaints += c.complaints;
    s.repeatComplaints += c.repeatComplaints;
  }
  return {
    key,
    label,
    ...s,
    closedRate: pct(s.closed, s.received),
    onTimeRate: pct(s.closedOnTime, s.closed),
    satisfactionRate: pct(s.satisfied, s.rated),
    repeatRate: pct(s.repeatComplaints, s.complaints),
  };
}

/** Months YYYY-MM from `from` to `to` inclusive. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    if (out.length > 120) break;
  }
  return out;
}

/** Start of a month (Asia/Shanghai) as an instant; `next` gives the start of the following month. */
export function monthStart(month: string, next = false): Date {
  let [y, m] = month.split('-').map(Number) as [number, number];
  if (next) {
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return new Date(`${y}-${String(m).padStart(2, '0')}-01T00:00:00+08:00`);
}

/** Totals per department (over the period), per month (over departments) and overall. */
export function summarise(from: string, to: string, cells: DepartmentMonth[]): Figures {
  const months = monthRange(from, to);
  const depts = new Map<string, { name: string; cells: DepartmentMonth[] }>();
  for (const c of cells) {
    const d = depts.get(c.orgId) ?? { name: c.orgName, cells: [] };
    d.cells.push(c);
    depts.set(c.orgId, d);
  }
  return {
    from,
    to,
    months,
    byDepartment: [...depts.entries()].map(([id, d]) => sum(id, d.name, d.cells)).sort((a, b) => b.received - a.received || a.label.localeCompare(b.label, 'zh')),
    byMonth: months.map((m) => sum(m, m, cells.filter((c) => c.month === m))),
    total: sum('total', '合计', cells),
    cells,
  };
}
