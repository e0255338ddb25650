import { describe, expect, it } from 'vitest';
import { seedCodeTables } from '../../platform/codes/code-tables.ts';
import { DEFAULT_NUMBER_GENERATORS } from './number-generators.ts';
import { codeTableSeedMigration, numberGeneratorSeedMigration, sqlLiteral } from './seed-sql.ts';

describe('sqlLiteral', () => {
  it('quotes strings, doubling single quotes, and writes NULL for missing values', () => {
    expect(sqlLiteral("Taiwan residents' travel permit")).toBe("'Taiwan residents'' travel permit'");
    expect(sqlLiteral('a\\b')).toBe("'a\\b'");
    expect(sqlLiteral(undefined)).toBe('NULL');
    expect(sqlLiteral(null)).toBe('NULL');
    expect(() => sqlLiteral('a\0b')).toThrow();
  });
});

describe('seed migrations', () => {
  it('are named by a hash of their SQL, so changed seed data runs again', () => {
    const a = numberGeneratorSeedMigration(DEFAULT_NUMBER_GENERATORS);
    expect(a.id).toMatch(/^0002-seed-number-generators@[0-9a-f]{12}$/);
    expect(numberGeneratorSeedMigration(DEFAULT_NUMBER_GENERATORS).id).toBe(a.id);
    const changed = numberGeneratorSeedMigration([...DEFAULT_NUMBER_GENERATORS, { ...DEFAULT_NUMBER_GENERATORS[0]!, id: 'extra' }]);
    expect(changed.id).not.toBe(a.id);
  });

  it('leave administrator-edited generators alone and upsert code entries without deleting', () => {
    expect(numberGeneratorSeedMigration(DEFAULT_NUMBER_GENERATORS).sql).toContain('ON CONFLICT (id) DO NOTHING');
    const codes = codeTableSeedMigration(seedCodeTables()).sql;
    expect(codes).toContain('valid_to = COALESCE(EXCLUDED.valid_to, registry.code_entry.valid_to)');
    expect(codes).not.toMatch(/\bDELETE\b/i);
  });
});
