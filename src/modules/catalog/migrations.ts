import type { Migration } from '../../platform/db/migrator.ts';

export const catalogMigrations: Migration[] = [
  {
    id: '0001-catalog',
    sql: `
CREATE SCHEMA IF NOT EXISTS catalog;
-- 实施清单事项: one organisation's implementation of a basic item in one jurisdiction.
CREATE TABLE catalog.implementation_item (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  implementation_code text NOT NULL UNIQUE CHECK (implementation_code ~ '^[0-9A-Z]{1,24}$'),
  basic_code text NOT NULL,
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  name text NOT NULL,
  name_pinyin text NOT NULL DEFAULT '',
  name_initials text NOT NULL DEFAULT '',
  item_type text NOT NULL,
  exercise_level text NOT NULL,
  themes jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'suspended', 'cancelled')),
  published_version_id uuid,
  published_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE INDEX implementation_item_org ON catalog.implementation_item (organisation_id, updated_at DESC);
CREATE INDEX implementation_item_jurisdiction ON catalog.implementation_item (jurisdiction_code text_pattern_ops);
CREATE INDEX implementation_item_published ON catalog.implementation_item (name) WHERE status = 'published';
CREATE INDEX implementation_item_basic ON catalog.implementation_item (basic_code);

-- Versions: running cases keep the version they were filed under; a new version is drafted
-- while the old one stays published (DOMAIN.md §2.4).
CREATE TABLE catalog.item_version (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id uuid NOT NULL REFERENCES catalog.implementation_item (id),
  version_no int NOT NULL CHECK (version_no >= 1),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published', 'superseded', 'withdrawn')),
  elements jsonb NOT NULL,
  form jsonb NOT NULL,
  issues jsonb NOT NULL DEFAULT '[]',
  review_comment text NOT NULL DEFAULT '',
  created_by text NOT NULL,
  submitted_by text,
  submitted_at timestamptz,
  reviewed_by text,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  lock_version int NOT NULL DEFAULT 1,
  UNIQUE (item_id, version_no)
);
-- At most one version being worked on (draft or in review) per item.
CREATE UNIQUE INDEX item_version_open ON catalog.item_version (item_id) WHERE status IN ('draft', 'in_review');

-- 一件事: bundles of published items applied for with one form.
CREATE TABLE catalog.life_event (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  audience text NOT NULL DEFAULT 'enterprise' CHECK (audience IN ('person', 'enterprise')),
  jurisdiction_code text NOT NULL,
  item_ids jsonb NOT NULL,
  status text NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'withdrawn')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
`,
  },
];
