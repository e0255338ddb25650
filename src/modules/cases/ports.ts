import type { FormDefinition } from '../../platform/forms/index.ts';
import type { Tx, Db } from '../../platform/db/database.ts';
import type { WorkCalendar } from '../../platform/calendar/index.ts';
import type { UnitOfWork } from '../../platform/unit-of-work.ts';

/**
 * What the cases module needs from other modules, as narrow ports wired in src/app.ts
 * (STYLE.md §2: through services, never tables).
 */

/** One material an item asks for (GB/T 39046 materials list, as the catalog publishes it). */
export interface ItemMaterial {
  code: string;
  name: string;
  required: boolean;
}

/** A published implementation item version, as an application is filed under it (catalog). */
export interface ApplicationItem {
  id: string;
  version: number;
  name: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  /** Promised limit (承诺时限) with TIME_UNIT code; null → the statutory limit. */
  promisedLimit: { n: number; unit: string } | null;
  materials: ItemMaterial[];
  form: FormDefinition;
  /** The item's own workflow definition key (catalog 审批流程标识), if any. */
  workflowKey?: string | null;
  /** The implementation code (实施编码): a workflow definition under this key is used when there is no workflowKey. */
  implementationCode?: string | null;
}

export type ItemLookupResult = { ok: true; item: ApplicationItem } | { ok: false; reason: 'not_found' | 'unavailable'; message: string };

export interface CaseItemSource {
  /** The published version applications are filed under; unpublished or withdrawn items are refused with a reason. */
  itemForApplication(id: string): Promise<ItemLookupResult>;
}

/** Encryption at rest for applicant personal data (identity's SecretCipher). */
export interface PersonalDataCipher {
  encrypt(plain: string, context: string): string;
  decrypt(envelope: string, context: string): string;
}

export interface CaseNumbers {
  next(tx: Tx, generatorId: string, request: { date?: string; region?: string; orgId?: string; prefix?: string }): Promise<{ value: string }>;
  /** Numbers taken by the commit's own statement, as late texts `lateText(key)` (registry's NumberService.takeAtCommit); answers the late-texts part's name. */
  takeAtCommit(uow: UnitOfWork, read: Db | Tx, generatorId: string, wanted: { key: string; request: { date?: string; region?: string; orgId?: string; prefix?: string } }[]): Promise<string>;
}

export interface CaseCalendars {
  calendarFor(jurisdictionCode: string, tx?: Db | Tx): Promise<WorkCalendar>;
}

export interface CaseApplicantDirectory {
  /** For SMS delivery only, never for display. */
  mobileForDelivery(accountId: string): Promise<string | null>;
  /** The applicant's profile (identity) for prefilling an application; optional so standalone tests need not wire it. */
  applicantProfile?(accountId: string): Promise<CaseApplicantProfile | null>;
  /** applicantProfile for several accounts in one query (a batch of submissions); accounts without a profile are absent. */
  applicantProfiles?(accountIds: string[]): Promise<Map<string, CaseApplicantProfile>>;
}

/** What the account knows about the applicant (identity's applicantProfile): FULL values, server-side prefill only. */
export interface CaseApplicantProfile {
  kind: 'citizen' | 'enterprise';
  /** Keyed like FormField.prefill ('applicant.name', 'enterprise.uscc', …). */
  values: Partial<Record<string, string>>;
  /** Keys that are real-name verified: read-only on the application page. */
  verified: string[];
  /** What mobileForDelivery would answer (SMS notices), when the directory knows it. */
  deliveryMobile?: string | null;
}

export interface CaseStaffDirectory {
  /** A staff account with the organisations of its positions, or null. */
  findStaff(accountId: string): Promise<{ accountId: string; displayName: string; positions: { organisationId: string }[] } | null>;
  /** Active staff of an organisation or a jurisdiction subtree, one entry per position (the approval operations' picker). */
  listActiveStaff?(filter: { organisationId: string } | { jurisdictionPrefix: string }): Promise<StaffChoice[]>;
}

/** A staff member as the picker shows them: name, organisation and roles (no personal identifiers). */
export interface StaffChoice {
  accountId: string;
  displayName: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  roles: string[];
}

/** A published life event (一件事) as the catalog hands it to an application: its items in force and one merged form. */
export interface ApplicationLifeEvent {
  id: string;
  code: string;
  name: string;
  description: string;
  /** Who applies: 'person' (个人) or 'enterprise' (法人); null when the catalog does not say. */
  audience: 'person' | 'enterprise' | null;
  items: ApplicationItem[];
  form: FormDefinition;
}

/**
 * Why a life event cannot be applied for: 'not_found' (unknown id), 'not_published', 'withdrawn',
 * 'item_suspended' / 'item_unavailable' (an item not in force, named in `itemName` and the message),
 * 'unavailable' (no reason given, or 一件事 not wired). `message` is Chinese, for the applicant.
 */
export type LifeEventUnavailableReason = 'not_found' | 'not_published' | 'withdrawn' | 'item_suspended' | 'item_unavailable' | 'unavailable';

export type LifeEventLookupResult = { ok: true; lifeEvent: ApplicationLifeEvent } | { ok: false; reason: LifeEventUnavailableReason; message: string; itemName?: string };

export interface CaseLifeEventSource {
  /** The life event when it and every item in it are published; otherwise refused with a reason. */
  lifeEvent(id: string): Promise<LifeEventLookupResult>;
}
