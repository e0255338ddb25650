import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCodeTables } from '../../platform/codes/code-tables.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createRegistryModule, type CodeTableService } from './index.ts';
import { registryMigrations } from './migrations.ts';

let t: TestApp;
let codes: CodeTableService;

beforeAll(async () => {
  t = await startTestApp();
  codes = createRegistryModule(t.platform).codes;
});
afterAll(async () => {
  await t?.stop();
});

const seedSql = () => {
  const m = registryMigrations.find((x) => x.id.startsWith('0003-seed-code-tables@'));
  if (!m) throw new Error('no code-table seed migration');
  return m.sql;
};

describe('persisted code tables (DOMAIN.md §1.3)', () => {
  it('round-trip every seed table exactly: entries, order, attributes, notes, tags', async () => {
    for (const seed of seedCodeTables()) {
      const stored = await codes.getTable(seed.id);
      expect(stored, seed.id).toBeDefined();
      expect({ ...stored!, entries: stored!.entries() }).toEqual({ ...seed, entries: seed.entries() });
    }
    const handling = await codes.getTable('HANDLING_FORM');
    expect(handling?.isValidMulti('1^2^3', '2026-11-30')).toBe(true);
    expect((await codes.getTable('TIME_UNIT'))?.lookup('G', '2026-11-30')?.attributes).toEqual({ kind: 'legal' });
  });

  it('caches a table until invalidated, and caches no unknown ids', async () => {
    const a = await codes.getTable('GENDER');
    expect(await codes.getTable('GENDER')).toBe(a);
    codes.invalidate();
    expect(await codes.getTable('GENDER')).not.toBe(a);
    expect(await codes.getTable('NO_SUCH_TABLE')).toBeUndefined();
  });

  it('re-seeding is idempotent and never reopens or deletes a closed code', async () => {
    const count = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM registry.code_entry`.execute(t.platform.db)).rows[0]?.n;
    const before = await count();
    // A division code is closed (as GB/T 2260 changes do) and replaced by a new one.
    await sql`INSERT INTO registry.code_entry (table_id, code, label, parent_code, valid_from, sort_order)
              VALUES ('DIVISION', '429099', '测试新设市', '420000', '2026-01-01', 99)`.execute(t.platform.db);
    await sql`UPDATE registry.code_entry SET valid_to = '2026-01-01', replaced_by = '429099' WHERE table_id = 'DIVISION' AND code = '429006'`.execute(t.platform.db);

    await sql.raw(seedSql()).execute(t.platform.db);
    await sql.raw(seedSql()).execute(t.platform.db);

    expect(await count()).toBe(before! + 1);
    codes.invalidate();
    const division = await codes.getTable('DIVISION');
    expect(division?.status('429006', '2026-11-30')).toBe('retired');
    expect(division?.label('429006')).toBe('天门市'); // old records still render
    expect(division?.successor('429006', '2026-11-30')?.code).toBe('429099');
    expect(division?.status('429006', '2025-12-31')).toBe('valid');
  });

  it('lists tables with entry counts', async () => {
    codes.invalidate();
    const list = await codes.listTables();
    expect(list.find((x) => x.id === 'SATISFACTION')).toMatchObject({ name: '满意度', tag: 'unverified', entryCount: 5, hierarchical: false });
  });
});
