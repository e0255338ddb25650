import type { Kysely } from 'kysely';
import { CodeTable, type CodeEntry, type ReliabilityTag } from '../../platform/codes/code-tables.ts';
import type { Db, Tx } from '../../platform/db/database.ts';

interface CodeTableTable {
  id: string;
  name: string;
  source: string;
  tag: ReliabilityTag;
  version: string;
  hierarchical: boolean;
  multi_value_separator: string | null;
  updated_at: Date;
}

interface CodeEntryTable {
  table_id: string;
  code: string;
  label: string;
  label_en: string | null;
  parent_code: string | null;
  valid_from: string;
  valid_to: string | null;
  replaced_by: string | null;
  tag: ReliabilityTag | null;
  note: string | null;
  attributes: Record<string, string>;
  sort_order: number;
}

interface CodeTables {
  'registry.code_table': CodeTableTable;
  'registry.code_entry': CodeEntryTable;
}

export interface CodeTableSummary {
  id: string;
  name: string;
  source: string;
  tag: ReliabilityTag;
  version: string;
  hierarchical: boolean;
  multiValueSeparator: string | null;
  entryCount: number;
}

export class CodeTableRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Db | Tx): Kysely<CodeTables> {
    return (tx ?? this.db) as Kysely<CodeTables>;
  }

  async listTables(tx?: Db | Tx): Promise<CodeTableSummary[]> {
    const rows = await this.q(tx)
      .selectFrom('registry.code_table as t')
      .leftJoin('registry.code_entry as e', 'e.table_id', 't.id')
      .select(['t.id', 't.name', 't.source', 't.tag', 't.version', 't.hierarchical', 't.multi_value_separator'])
      .select((eb) => eb.fn.count<number>('e.code').as('entry_count'))
      .groupBy(['t.id', 't.name', 't.source', 't.tag', 't.version', 't.hierarchical', 't.multi_value_separator'])
      .orderBy('t.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      source: r.source,
      tag: r.tag,
      version: r.version,
      hierarchical: r.hierarchical,
      multiValueSeparator: r.multi_value_separator,
      entryCount: Number(r.entry_count),
    }));
  }

  /** One table with all its entries (closed ones included), in seed order. */
  async getTable(id: string, tx?: Db | Tx): Promise<CodeTable | null> {
    const t = await this.q(tx).selectFrom('registry.code_table').selectAll().where('id', '=', id).executeTakeFirst();
    if (!t) return null;
    const rows = await this.q(tx)
      .selectFrom('registry.code_entry')
      .selectAll()
      .where('table_id', '=', id)
      .orderBy('sort_order')
      .orderBy('code')
      .orderBy('valid_from')
      .execute();
    const entries: CodeEntry[] = rows.map((r) => ({
      code: r.code,
      label: r.label,
      ...(r.label_en !== null ? { labelEn: r.label_en } : {}),
      ...(r.parent_code !== null ? { parentCode: r.parent_code } : {}),
      validFrom: r.valid_from,
      ...(r.valid_to !== null ? { validTo: r.valid_to } : {}),
      ...(r.replaced_by !== null ? { replacedBy: r.replaced_by } : {}),
      ...(r.tag !== null ? { tag: r.tag } : {}),
      ...(r.note !== null ? { note: r.note } : {}),
      ...(Object.keys(r.attributes).length > 0 ? { attributes: r.attributes } : {}),
    }));
    return new CodeTable({
      id: t.id,
      name: t.name,
      source: t.source,
      tag: t.tag,
      version: t.version,
      hierarchical: t.hierarchical,
      ...(t.multi_value_separator !== null ? { multiValueSeparator: t.multi_value_separator } : {}),
      entries,
    });
  }
}
