import type { Migration } from '../db/migrator.ts';

/**
 * The one search box's source of truth (DESIGN.md "Search"): one row per indexed document,
 * written by modules inside their business transaction. The in-memory index is rebuilt from
 * this table at boot and tails it by `seq` (a change sequence number given on every insert,
 * update and removal), so every node sees exactly the committed state.
 */
export const searchMigrations: Migration[] = [
  {
    id: '0001-search-document',
    sql: `
CREATE SCHEMA IF NOT EXISTS search;
CREATE SEQUENCE search.change_seq;
CREATE TABLE search.document (
  key text PRIMARY KEY,
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  url text NOT NULL,
  published_at timestamptz,
  division_code text NOT NULL,
  organisation_id text,
  organisation_name text,
  category text,
  genre text,
  validity text CHECK (validity IN ('valid', 'invalid', 'repealed')),
  keywords text[] NOT NULL DEFAULT '{}',
  -- removed documents stay as tombstones (deleted = true) so tailing nodes see the removal
  deleted boolean NOT NULL DEFAULT false,
  seq bigint NOT NULL DEFAULT nextval('search.change_seq'),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX document_seq ON search.document (seq);
CREATE INDEX document_updated ON search.document (updated_at);
`,
  },
];
