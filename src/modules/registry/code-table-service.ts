import type { CodeTable } from '../../platform/codes/code-tables.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { CodeTableRepository, CodeTableSummary } from './code-table.repository.ts';

/** Persisted code tables (DOMAIN.md §1.3), seeded from seedCodeTables() by the migrations. */
export interface CodeTableService {
  /** One table with its full history, or undefined; cached. Pass `tx` inside a transaction. */
  getTable(id: string, tx?: Db | Tx): Promise<CodeTable | undefined>;
  listTables(): Promise<CodeTableSummary[]>;
  invalidate(): void;
}

const TTL_MS = 5 * 60_000;

export class CodeTableServiceImpl implements CodeTableService {
  // Only ids that exist are cached, so the public API cannot grow the cache with made-up ids.
  readonly #tables = new Map<string, { table: Promise<CodeTable | null>; at: number }>();
  #list: { rows: Promise<CodeTableSummary[]>; at: number } | undefined;

  constructor(private readonly repository: CodeTableRepository) {}

  invalidate(): void {
    this.#tables.clear();
    this.#list = undefined;
  }

  async getTable(id: string, tx?: Db | Tx): Promise<CodeTable | undefined> {
    const cached = this.#tables.get(id);
    if (cached && Date.now() - cached.at <= TTL_MS) return (await cached.table) ?? undefined;
    const entry = { table: this.repository.getTable(id, tx), at: Date.now() };
    this.#tables.set(id, entry);
    try {
      const table = await entry.table;
      if (!table && this.#tables.get(id) === entry) this.#tables.delete(id);
      return table ?? undefined;
    } catch (error) {
      if (this.#tables.get(id) === entry) this.#tables.delete(id);
      throw error;
    }
  }

  async listTables(): Promise<CodeTableSummary[]> {
    if (!this.#list || Date.now() - this.#list.at > TTL_MS) {
      const entry = { rows: this.repository.listTables(), at: Date.now() };
      this.#list = entry;
      entry.rows.catch(() => {
        if (this.#list === entry) this.#list = undefined;
      });
    }
    return this.#list.rows;
  }
}
