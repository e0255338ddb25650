import type { Migration } from '../../platform/db/migrator.ts';

/**
 * Schema `identity` (统一身份认证). Personal identifiers are never stored in clear: the
 * `*_enc` columns hold SM4 (or AES-256-GCM) envelopes and the `*_hash` columns keyed
 * HMAC-SM3 hashes for exact-match lookup (DOMAIN.md §10.5); `*_masked` is the display form.
 */
export const identityMigrations: Migration[] = [
  {
    id: '0001-identity',
    sql: `
CREATE SCHEMA IF NOT EXISTS identity;

CREATE TABLE identity.account (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('citizen', 'enterprise', 'staff')),
  -- unique and stored lower-cased; citizens may also sign in by mobile or ID number (via person hashes)
  login_name text NOT NULL UNIQUE CHECK (login_name = lower(login_name) AND char_length(login_name) BETWEEN 3 AND 64),
  display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 100),
  password_hash text NOT NULL,
  -- DOMAIN.md §10.2: L1 verified mobile, L2 registry match, L3 real person, L4 in person / certificate
  real_name_level smallint NOT NULL DEFAULT 0 CHECK (real_name_level BETWEEN 0 AND 4),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  -- encrypted base32 secret; set while enrolling, totp_enabled once a code was verified
  totp_secret text,
  totp_enabled boolean NOT NULL DEFAULT false,
  -- last accepted TOTP time step: a code is accepted once (replay protection)
  totp_last_step bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  CHECK (NOT totp_enabled OR totp_secret IS NOT NULL)
);
CREATE INDEX account_staff ON identity.account (kind, login_name);

-- A citizen (natural person). Certificate type 111 = resident ID card (DOMAIN.md §9.3).
CREATE TABLE identity.person (
  account_id uuid PRIMARY KEY REFERENCES identity.account (id),
  name text NOT NULL,
  certificate_type text NOT NULL DEFAULT '111',
  id_number_enc text NOT NULL,
  id_number_hash text NOT NULL,
  id_number_masked text NOT NULL,
  mobile_enc text,
  mobile_hash text,
  mobile_masked text,
  -- GB/T 2261.1: 1 male, 2 female (derived from the ID number)
  gender_code text NOT NULL CHECK (gender_code IN ('0', '1', '2', '9')),
  birth_date date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT person_id_number_unique UNIQUE (certificate_type, id_number_hash),
  CONSTRAINT person_mobile_unique UNIQUE (mobile_hash)
);

-- A legal person; it acts through its own account and through agents' authorisations.
CREATE TABLE identity.enterprise (
  account_id uuid PRIMARY KEY REFERENCES identity.account (id),
  uscc text NOT NULL CONSTRAINT enterprise_uscc_unique UNIQUE,
  name text NOT NULL,
  legal_rep_name text NOT NULL,
  legal_rep_id_enc text NOT NULL,
  legal_rep_id_hash text NOT NULL,
  legal_rep_id_masked text NOT NULL,
  -- warn-not-reject notes on the USCC (DOMAIN.md §1.2)
  uscc_warnings text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- 经办人授权: a citizen acting for an enterprise within a scope and period (DOMAIN.md §10.2).
CREATE TABLE identity.agent_authorisation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  enterprise_account_id uuid NOT NULL REFERENCES identity.enterprise (account_id),
  citizen_account_id uuid NOT NULL REFERENCES identity.person (account_id),
  scope text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX agent_authorisation_citizen ON identity.agent_authorisation (citizen_account_id);
CREATE INDEX agent_authorisation_enterprise ON identity.agent_authorisation (enterprise_account_id);

-- A staff position: one organisation (by id, owned by the jurisdictions module) and roles there.
CREATE TABLE identity.position (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES identity.account (id),
  organisation_id text NOT NULL,
  roles text[] NOT NULL CHECK (
    cardinality(roles) > 0
    AND roles <@ ARRAY['clerk', 'org_head', 'jurisdiction_supervisor', 'province_supervisor', 'sysadmin', 'secadmin', 'auditadmin']::text[]
  ),
  -- clock_timestamp(): positions created in one transaction keep their order (the first is the default)
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT position_account_organisation_unique UNIQUE (account_id, organisation_id)
);

-- Server-side sessions. id = SHA-256 of the cookie token: a database leak yields no usable cookie.
CREATE TABLE identity.session (
  id text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES identity.account (id) ON DELETE CASCADE,
  position_id uuid REFERENCES identity.position (id) ON DELETE SET NULL,
  csrf_token text NOT NULL,
  pending_second_factor boolean NOT NULL DEFAULT false,
  totp_verified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ip text,
  user_agent text
);
CREATE INDEX session_account ON identity.session (account_id);
CREATE INDEX session_last_seen ON identity.session (last_seen_at);

-- TOTP recovery codes: shown once, stored as keyed hashes, each usable once.
CREATE TABLE identity.recovery_code (
  id bigserial PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES identity.account (id),
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT recovery_code_unique UNIQUE (account_id, code_hash)
);

-- Password reset: the ticket (in the confirm URL) and the SMS code are stored hashed only.
CREATE TABLE identity.password_reset (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_hash text NOT NULL UNIQUE,
  account_id uuid NOT NULL REFERENCES identity.account (id),
  code_hash text NOT NULL,
  attempts int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX password_reset_account ON identity.password_reset (account_id, created_at);
`,
  },
  {
    // Issue 3 (prefill): what the applicant keeps up to date themselves (联系地址, 邮箱, 联系人…), as one
    // encrypted JSON envelope; real-name-verified data stays in person/enterprise. Optimistic version.
    id: '0002-contact-profile',
    sql: `
CREATE TABLE identity.contact_profile (
  account_id uuid PRIMARY KEY REFERENCES identity.account (id),
  details_enc text NOT NULL,
  version int NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
];
