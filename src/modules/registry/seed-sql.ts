// Reference data as migrations. The default number generators and the seed code tables must be
// in every installation, production included, so they are not demo seeds (those are refused in
// production) but SQL upserts run by the migrator. Each seed migration's id carries a hash of its
// SQL: when the seed data in code changes, a new id appears and the upsert runs again on existing
// databases. Upserts never delete: codes are closed with valid_to, never removed (DOMAIN.md §1.3).

import { createHash } from 'node:crypto';
import type { CodeTable } from '../../platform/codes/code-tables.ts';
import type { Migration } from '../../platform/db/migrator.ts';
import type { NumberGeneratorDefinition } from './number-generators.ts';

/** A SQL string literal (standard_conforming_strings is on in PostgreSQL and PGlite). */
export function sqlLiteral(value: string | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (value.includes('\0')) throw new Error('NUL character in seed data');
  return `'${value.replace(/'/g, "''")}'`;
}

function hashed(prefix: string, sql: string): Migration {
  const hash = createHash('sha256').update(sql).digest('hex').slice(0, 12);
  return { id: `${prefix}@${hash}`, sql };
}

/** Inserts missing default generators; templates an administrator changed are left alone. */
export function numberGeneratorSeedMigration(generators: readonly NumberGeneratorDefinition[]): Migration {
  const rows = generators.map(
    (g) => `(${[g.id, g.name, g.template, g.scope, g.description, g.tag].map(sqlLiteral).join(', ')})`,
  );
  const sql = `INSERT INTO registry.number_generator (id, name, template, scope, description, tag) VALUES
${rows.join(',\n')}
ON CONFLICT (id) DO NOTHING;
`;
  return hashed('0002-seed-number-generators', sql);
}

/** Upserts the seed code tables and their entries (keyed on table, code and valid_from). */
export function codeTableSeedMigration(tables: readonly CodeTable[]): Migration {
  const statements: string[] = [];
  for (const t of tables) {
    statements.push(`INSERT INTO registry.code_table (id, name, source, tag, version, hierarchical, multi_value_separator)
VALUES (${[t.id, t.name, t.source, t.tag, t.version].map(sqlLiteral).join(', ')}, ${t.hierarchical ? 'true' : 'false'}, ${sqlLiteral(t.multiValueSeparator)})
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, source = EXCLUDED.source, tag = EXCLUDED.tag, version = EXCLUDED.version,
  hierarchical = EXCLUDED.hierarchical, multi_value_separator = EXCLUDED.multi_value_separator, updated_at = now();`);
    const entries = t.entries();
    if (entries.length === 0) continue;
    const rows = entries.map((e, i) =>
      [
        sqlLiteral(t.id),
        sqlLiteral(e.code),
        sqlLiteral(e.label),
        sqlLiteral(e.labelEn),
        sqlLiteral(e.parentCode),
        `${sqlLiteral(e.validFrom)}::date`,
        `${sqlLiteral(e.validTo)}::date`,
        sqlLiteral(e.replacedBy),
        sqlLiteral(e.tag),
        sqlLiteral(e.note),
        `${sqlLiteral(JSON.stringify(e.attributes ?? {}))}::jsonb`,
        String(i + 1),
      ].join(', '),
    );
    statements.push(`INSERT INTO registry.code_entry (table_id, code, label, label_en, parent_code, valid_from, valid_to, replaced_by, tag, note, attributes, sort_order) VALUES
${rows.map((r) => `(${r})`).join(',\n')}
ON CONFLICT (table_id, code, valid_from) DO UPDATE SET label = EXCLUDED.label, label_en = EXCLUDED.label_en,
  parent_code = EXCLUDED.parent_code,
  -- a code closed in the database stays closed even if the seed still lists it open
  valid_to = COALESCE(EXCLUDED.valid_to, registry.code_entry.valid_to),
  replaced_by = COALESCE(EXCLUDED.replaced_by, registry.code_entry.replaced_by),
  tag = EXCLUDED.tag, note = EXCLUDED.note, attributes = EXCLUDED.attributes, sort_order = EXCLUDED.sort_order;`);
  }
  return hashed('0003-seed-code-tables', `${statements.join('\n')}\n`);
}
