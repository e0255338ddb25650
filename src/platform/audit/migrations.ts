import type { Migration } from '../db/migrator.ts';

export const auditMigrations: Migration[] = [
  {
    id: '0001-audit-entry',
    sql: `
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE audit.entry (
  id bigserial PRIMARY KEY,
  -- chain position and hashes, assigned by the sealer in commit order
  seq bigint UNIQUE,
  prev_hash text,
  hash text,
  sealed_at timestamptz,
  actor_id text,
  actor_name text NOT NULL,
  actor_kind text NOT NULL,
  actor_role text,
  organisation_id text,
  action text NOT NULL,
  object_type text NOT NULL,
  object_id text,
  outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
  request_id text NOT NULL,
  client_ip text,
  occurred_at timestamptz NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX entry_unsealed ON audit.entry (id) WHERE seq IS NULL;
CREATE INDEX entry_actor ON audit.entry (actor_id, occurred_at);
CREATE INDEX entry_object ON audit.entry (object_type, object_id);
CREATE INDEX entry_action ON audit.entry (action, occurred_at);
CREATE INDEX entry_time ON audit.entry (occurred_at);

-- Append-only: content never changes; the seal columns are written once.
CREATE FUNCTION audit.entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit entries are append-only (delete refused)';
  END IF;
  IF OLD.seq IS NOT NULL
     OR NEW.id IS DISTINCT FROM OLD.id
     OR NEW.actor_id IS DISTINCT FROM OLD.actor_id OR NEW.actor_name IS DISTINCT FROM OLD.actor_name
     OR NEW.actor_kind IS DISTINCT FROM OLD.actor_kind OR NEW.actor_role IS DISTINCT FROM OLD.actor_role
     OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id OR NEW.action IS DISTINCT FROM OLD.action
     OR NEW.object_type IS DISTINCT FROM OLD.object_type OR NEW.object_id IS DISTINCT FROM OLD.object_id
     OR NEW.outcome IS DISTINCT FROM OLD.outcome OR NEW.request_id IS DISTINCT FROM OLD.request_id
     OR NEW.client_ip IS DISTINCT FROM OLD.client_ip OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at
     OR NEW.detail IS DISTINCT FROM OLD.detail THEN
    RAISE EXCEPTION 'audit entries are append-only (update refused)';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER entry_append_only BEFORE UPDATE OR DELETE ON audit.entry
  FOR EACH ROW EXECUTE FUNCTION audit.entry_guard();

-- One row: the head of the chain, updated by the sealer under a row lock.
CREATE TABLE audit.chain_head (
  id int PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit.chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
`,
  },
];
