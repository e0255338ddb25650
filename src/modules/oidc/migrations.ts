import type { Migration } from '../../platform/db/migrator.ts';

export const oidcMigrations: Migration[] = [
  {
    id: '0001-oidc',
    sql: `
CREATE SCHEMA IF NOT EXISTS oidc;

-- oidc-provider's stored artefacts (sessions, interactions, grants, codes, tokens), one
-- row per (model kind, id); the columns beside the payload are its secondary indexes.
CREATE TABLE oidc.payload (
  id text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  uid text,
  user_code text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (kind, id)
);
CREATE INDEX payload_grant ON oidc.payload (kind, grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX payload_uid ON oidc.payload (kind, uid) WHERE uid IS NOT NULL;
CREATE INDEX payload_user_code ON oidc.payload (kind, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX payload_expires ON oidc.payload (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX payload_client ON oidc.payload ((payload->>'clientId')) WHERE payload ? 'clientId';

-- Department systems registered as relying parties (接入系统). Only a SHA-256 hash of the
-- 256-bit random client secret is kept; the secret is shown once at registration.
CREATE TABLE oidc.client (
  client_id text PRIMARY KEY,
  secret_hash text NOT NULL,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
  organisation_id text,
  organisation_name text NOT NULL CHECK (char_length(organisation_name) BETWEEN 1 AND 100),
  redirect_uris text[] NOT NULL CHECK (cardinality(redirect_uris) BETWEEN 1 AND 10),
  require_consent boolean NOT NULL DEFAULT false,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  disabled_by text
);
CREATE INDEX client_created ON oidc.client (created_at DESC);

-- Token signing keys (JWKS), generated on first start. \`protection\` says how
-- private_jwk is stored: 'cipher' (envelope of the configured key cipher, master key) or
-- 'plain' when the app is wired without one.
CREATE TABLE oidc.signing_key (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg IN ('RS256', 'ES256')),
  private_jwk text NOT NULL,
  protection text NOT NULL DEFAULT 'plain' CHECK (protection IN ('plain', 'cipher')),
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);

-- Keys that sign the provider's own cookies (newest first signs, all verify).
CREATE TABLE oidc.cookie_key (
  id text PRIMARY KEY,
  secret text NOT NULL,
  protection text NOT NULL DEFAULT 'plain' CHECK (protection IN ('plain', 'cipher')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The organisation a staff member was acting for (their current position) when they last
-- signed in through OIDC: the \`organisation\` claim of their tokens.
CREATE TABLE oidc.signed_in_position (
  account_id text PRIMARY KEY,
  organisation_id text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
];
