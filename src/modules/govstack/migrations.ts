import type { Migration } from '../../platform/db/migrator.ts';

/**
 * What GovStack knows about an application file that our case does not: the client's own
 * application name, draft time, e-form id and document URLs as sent, and the operator's form
 * data (PUT /applications/{fileId}), with an optimistic version.
 */
export const govstackMigrations: Migration[] = [
  {
    id: '0001-application-file',
    sql: `
CREATE SCHEMA IF NOT EXISTS govstack;
CREATE TABLE govstack.application_file (
  case_id uuid PRIMARY KEY,
  applicant_account_id text NOT NULL,
  application_name text NOT NULL DEFAULT '' CHECK (char_length(application_name) <= 200),
  client_created_at timestamptz,
  eform_id text,
  document_urls jsonb NOT NULL DEFAULT '[]',
  operator_data jsonb NOT NULL DEFAULT '{}',
  operator_updated_by text,
  operator_updated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
`,
  },
];
