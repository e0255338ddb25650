import { sql, type Generated, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { ReliabilityTag } from '../../platform/codes/code-tables.ts';
import type { SequenceScope } from '../../platform/codes/number-template.ts';
import type { Db, Tx } from '../../platform/db/database.ts';

interface NumberGeneratorTable {
  id: string;
  name: string;
  template: string;
  scope: SequenceScope;
  description: Generated<string>;
  tag: Generated<ReliabilityTag>;
  updated_by: string | null;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface NumberCounterTable {
  generator_id: string;
  sequence_key: string;
  last_value: number;
  updated_at: Generated<Date>;
}

interface NumberTables {
  'registry.number_generator': NumberGeneratorTable;
  'registry.number_counter': NumberCounterTable;
}

export interface NumberGeneratorRow {
  id: string;
  name: string;
  template: string;
  scope: SequenceScope;
  description: string;
  tag: ReliabilityTag;
  updatedBy: string | null;
  updatedAt: Date;
  version: number;
}

export interface NumberCounterRow {
  generatorId: string;
  sequenceKey: string;
  lastValue: number;
  updatedAt: Date;
}

function toGenerator(r: Selectable<NumberGeneratorTable>): NumberGeneratorRow {
  return {
    id: r.id,
    name: r.name,
    template: r.template,
    scope: r.scope,
    description: r.description,
    tag: r.tag,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export class NumberRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Db | Tx): Kysely<NumberTables> {
    return (tx ?? this.db) as Kysely<NumberTables>;
  }

  async getGenerator(id: string, tx?: Db | Tx): Promise<NumberGeneratorRow | null> {
    const r = await this.q(tx).selectFrom('registry.number_generator').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toGenerator(r) : null;
  }

  async listGenerators(tx?: Db | Tx): Promise<NumberGeneratorRow[]> {
    const rows = await this.q(tx).selectFrom('registry.number_generator').selectAll().orderBy('id').execute();
    return rows.map(toGenerator);
  }

  /** Row-locks the generator so two saves of one generator do not interleave. */
  async lockGenerator(tx: Tx, id: string): Promise<NumberGeneratorRow | null> {
    const r = await this.q(tx).selectFrom('registry.number_generator').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return r ? toGenerator(r) : null;
  }

  async insertGenerator(
    tx: Tx,
    v: { id: string; name: string; template: string; scope: SequenceScope; description: string; updatedBy: string | null },
  ): Promise<NumberGeneratorRow> {
    const r = await this.q(tx)
      .insertInto('registry.number_generator')
      .values({ id: v.id, name: v.name, template: v.template, scope: v.scope, description: v.description, updated_by: v.updatedBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGenerator(r);
  }

  async updateGenerator(
    tx: Tx,
    id: string,
    v: { name: string; template: string; scope: SequenceScope; description: string; updatedBy: string | null },
  ): Promise<NumberGeneratorRow> {
    const r = await this.q(tx)
      .updateTable('registry.number_generator')
      .set({
        name: v.name,
        template: v.template,
        scope: v.scope,
        description: v.description,
        updated_by: v.updatedBy,
        updated_at: new Date(),
        version: sql<number>`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toGenerator(r);
  }

  /** Whether the generator has issued any number (committed or in this transaction). */
  async hasIssued(tx: Tx, generatorId: string): Promise<boolean> {
    const r = await this.q(tx).selectFrom('registry.number_counter').select('generator_id').where('generator_id', '=', generatorId).limit(1).executeTakeFirst();
    return r !== undefined;
  }

  /**
   * The next value of one sequence, inside the caller's transaction (DOMAIN.md §1.4). The upsert
   * takes the counter row's lock until the caller commits or rolls back, so concurrent callers
   * of the same sequence queue behind it; a rollback undoes the increment, so values are
   * gap-free and never reused. The first caller of a sequence inserts 1 (a concurrent first
   * caller waits on that insert and then increments it).
   */
  /** Advances the counter by `by` (default 1) and returns its new last value. */
  async increment(tx: Tx, generatorId: string, sequenceKey: string, by = 1): Promise<number> {
    const r = await sql<{ last_value: number | string }>`
      INSERT INTO registry.number_counter AS counter (generator_id, sequence_key, last_value)
      VALUES (${generatorId}, ${sequenceKey}, ${by})
      ON CONFLICT (generator_id, sequence_key)
      DO UPDATE SET last_value = counter.last_value + ${by}, updated_at = now()
      RETURNING last_value`.execute(tx);
    const value = Number(r.rows[0]?.last_value);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`number counter ${generatorId}/${sequenceKey} returned ${String(r.rows[0]?.last_value)}`);
    return value;
  }

  /**
   * The counter part of numbers taken by the commit's own statement (NumberService.takeAtCommit):
   * advances each of the generator's sequences by its count (the first taker inserts it) and
   * answers `(sequence_key, last_value)`. Same lock and gap-free rules as `increment`, for as long
   * as that statement's transaction runs.
   */
  incrementPart(generatorId: string, sequences: { key: string; count: number }[]): RawBuilder<unknown> {
    return sql`INSERT INTO registry.number_counter AS counter (generator_id, sequence_key, last_value)
      SELECT ${generatorId}::text, s.key, s.count FROM unnest(${sequences.map((x) => x.key)}::text[], ${sequences.map((x) => x.count)}::bigint[]) AS s(key, count)
      ON CONFLICT (generator_id, sequence_key) DO UPDATE SET last_value = counter.last_value + excluded.last_value, updated_at = now()
      RETURNING sequence_key, last_value`;
  }

  /**
   * The numbers of incrementPart's part `counter`, as late texts `(key, value)`: each key's
   * sequence is its position among its sequence's keys, counted from the first value taken, and
   * printed between the frame's texts. A sequence that outgrows `{seq:N}` fails the statement
   * (a number is never truncated).
   */
  numbersPart(counter: string, sequences: { key: string; count: number; before: string; after: string; width: number | null }[], wanted: { key: string; sequenceKey: string; position: number }[]): RawBuilder<unknown> {
    return sql`SELECT w.key, f.before || CASE
          WHEN f.width IS NULL THEN x.seq::text
          WHEN length(x.seq::text) <= f.width THEN lpad(x.seq::text, f.width, '0')
          ELSE ('number sequence ' || x.seq || ' overflows {seq:' || f.width || '}')::int::text
        END || f.after AS value
      FROM unnest(${wanted.map((x) => x.key)}::text[], ${wanted.map((x) => x.sequenceKey)}::text[], ${wanted.map((x) => x.position)}::int[]) AS w(key, sequence_key, position)
      JOIN unnest(${sequences.map((x) => x.key)}::text[], ${sequences.map((x) => x.count)}::bigint[], ${sequences.map((x) => x.before)}::text[], ${sequences.map((x) => x.after)}::text[], ${sequences.map((x) => x.width)}::int[]) AS f(sequence_key, count, before, after, width) USING (sequence_key)
      JOIN ${sql.table(counter)} AS n USING (sequence_key)
      CROSS JOIN LATERAL (SELECT n.last_value - f.count + w.position AS seq) AS x`;
  }

  async listCounters(generatorId: string, tx?: Db | Tx): Promise<NumberCounterRow[]> {
    const rows = await this.q(tx)
      .selectFrom('registry.number_counter')
      .selectAll()
      .where('generator_id', '=', generatorId)
      .orderBy('sequence_key')
      .execute();
    return rows.map((r) => ({ generatorId: r.generator_id, sequenceKey: r.sequence_key, lastValue: Number(r.last_value), updatedAt: r.updated_at }));
  }
}
