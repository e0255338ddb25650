import type { Migration } from '../../platform/db/migrator.ts';

export const appealsPublicMigrations: Migration[] = [
  {
    id: '0001-appeals-public',
    sql: `
CREATE SCHEMA IF NOT EXISTS appeals_public;

-- Open311 clients: one API key each, stored only as its SHA-256 (the key is shown once when issued).
CREATE TABLE appeals_public.api_client (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 60),
  key_prefix text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_used_at timestamptz,
  version int NOT NULL DEFAULT 1
);

-- Every accepted Open311 POST: our token (GET /tokens/{token}), the client's own token and a
-- content hash (a repeated identical post within a short window returns the first ticket).
CREATE TABLE appeals_public.open311_post (
  token uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id uuid NOT NULL REFERENCES appeals_public.api_client (id),
  client_token text,
  content_hash text NOT NULL,
  ticket_number text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX open311_post_client_token ON appeals_public.open311_post (client_id, client_token) WHERE client_token IS NOT NULL;
CREATE INDEX open311_post_hash ON appeals_public.open311_post (client_id, content_hash, created_at DESC);
`,
  },
];
