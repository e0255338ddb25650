import type { RealNameLevel } from '../../platform/auth/actor.ts';
import { maskName } from '../../platform/codes/validators.ts';
import type { IdentityDeps } from './deps.ts';
import type { ApplicantRow } from './account.repository.ts';
import { CONTEXT } from './personal-data.ts';

/**
 * 我的资料 (issue 3, "no datum asked twice"): what the account already knows about the applicant.
 * Real-name data (name, ID numbers, USCC) comes from registration and is read-only here; the
 * contact details the holder keeps up to date live encrypted in `identity.contact_profile`.
 */
export const CONTACT_CONTEXT = 'identity.contact_profile.details';

/** Editable contact details. Citizens: email, address; enterprises: all but address. */
export interface ContactDetails {
  email?: string;
  /** 联系地址 (citizen) */
  address?: string;
  /** 联系人 (enterprise) */
  contactPerson?: string;
  /** 联系电话 (enterprise) */
  contactPhone?: string;
  /** 住所 (enterprise) */
  domicile?: string;
}

export const CONTACT_FIELDS: Record<'citizen' | 'enterprise', (keyof ContactDetails)[]> = {
  citizen: ['email', 'address'],
  enterprise: ['contactPerson', 'contactPhone', 'email', 'domicile'],
};

export const CONTACT_LABEL: Record<keyof ContactDetails, string> = { email: '电子邮箱', address: '联系地址', contactPerson: '联系人', contactPhone: '联系电话', domicile: '住所' };

/**
 * Profile keys as application forms name their prefill sources (FormField.prefill). Keys beyond
 * the form platform's PREFILL_SOURCES (address, domicile, legalRepIdNumber) are ready for it.
 */
export type ProfileKey =
  | 'applicant.name'
  | 'applicant.idNumber'
  | 'applicant.mobile'
  | 'applicant.email'
  | 'applicant.address'
  | 'enterprise.name'
  | 'enterprise.uscc'
  | 'enterprise.legalRepresentative'
  | 'enterprise.legalRepIdNumber'
  | 'enterprise.domicile';

/** The applicant's profile with FULL values, for prefill on the server only (never sent to a list or log). */
export interface ApplicantProfile {
  accountId: string;
  kind: 'citizen' | 'enterprise';
  realNameLevel: RealNameLevel;
  values: Partial<Record<ProfileKey, string>>;
  /** Keys that are real-name verified: an application shows them read-only and the server keeps them. */
  verified: ProfileKey[];
  /**
   * Exactly what IdentityService.mobileForDelivery(accountId) returns (the person's mobile, decrypted; null for
   * enterprises), so a caller holding the profile needs no second call. SMS delivery only — never for display.
   */
  deliveryMobile: string | null;
}

/** What 我的资料 and GET /api/me/profile show: identifiers masked, contact details (the holder's own) in full. */
export interface ProfileView {
  kind: 'citizen' | 'enterprise';
  realNameLevel: RealNameLevel;
  identity: { label: string; value: string; key: string }[];
  contact: ContactDetails;
  editable: (keyof ContactDetails)[];
  version: number;
  updatedAt: string | null;
}

/** Real-name level from which the registration data counts as verified (DOMAIN.md §10.2: L2 registry match). */
export const VERIFIED_LEVEL = 2;

export async function readContact(deps: IdentityDeps, accountId: string): Promise<{ details: ContactDetails; version: number; updatedAt: Date | null }> {
  const row = await deps.accounts.getContactProfile(accountId);
  if (!row) return { details: {}, version: 0, updatedAt: null };
  return { details: JSON.parse(deps.cipher.decrypt(row.detailsEnc, CONTACT_CONTEXT)) as ContactDetails, version: row.version, updatedAt: row.updatedAt };
}

const put = (o: Partial<Record<ProfileKey, string>>, k: ProfileKey, v: string | null | undefined) => {
  if (typeof v === 'string' && v !== '') o[k] = v;
};

/**
 * One statement (AccountRepository.getApplicantRow: account LEFT JOIN person, enterprise, contact profile)
 * instead of four round trips; the submission path also takes `deliveryMobile` from here.
 */
export async function loadApplicantProfile(deps: IdentityDeps, accountId: string): Promise<ApplicantProfile | null> {
  return toApplicantProfile(deps, accountId, await deps.accounts.getApplicantRow(accountId));
}

/** loadApplicantProfile for several accounts in one statement (a batch of submissions); only the ones with a profile. */
export async function loadApplicantProfiles(deps: IdentityDeps, accountIds: string[]): Promise<Map<string, ApplicantProfile>> {
  const rows = await deps.accounts.getApplicantRows(accountIds);
  const out = new Map<string, ApplicantProfile>();
  for (const [id, row] of rows) {
    const profile = toApplicantProfile(deps, id, row);
    if (profile) out.set(id, profile);
  }
  return out;
}

function toApplicantProfile(deps: IdentityDeps, accountId: string, row: ApplicantRow | null): ApplicantProfile | null {
  if (!row || row.status !== 'active' || (row.kind !== 'citizen' && row.kind !== 'enterprise')) return null;
  const details: ContactDetails = row.contactDetailsEnc ? (JSON.parse(deps.cipher.decrypt(row.contactDetailsEnc, CONTACT_CONTEXT)) as ContactDetails) : {};
  const values: Partial<Record<ProfileKey, string>> = {};
  const verified: ProfileKey[] = [];
  const isVerified = row.realNameLevel >= VERIFIED_LEVEL;
  // What mobileForDelivery returns: the person's mobile, decrypted (enterprises have no person row: null).
  const deliveryMobile = row.person?.mobileEnc ? deps.cipher.decrypt(row.person.mobileEnc, CONTEXT.mobile) : null;
  if (row.kind === 'citizen') {
    const p = row.person;
    if (!p) return null;
    put(values, 'applicant.name', p.name);
    put(values, 'applicant.idNumber', deps.cipher.decrypt(p.idNumberEnc, CONTEXT.idNumber));
    put(values, 'applicant.mobile', deliveryMobile);
    put(values, 'applicant.email', details.email);
    put(values, 'applicant.address', details.address);
    if (isVerified) verified.push('applicant.name', 'applicant.idNumber');
  } else {
    const e = row.enterprise;
    if (!e) return null;
    put(values, 'enterprise.name', e.name);
    put(values, 'enterprise.uscc', e.uscc);
    put(values, 'enterprise.legalRepresentative', e.legalRepName);
    put(values, 'enterprise.legalRepIdNumber', deps.cipher.decrypt(e.legalRepIdEnc, CONTEXT.legalRepId));
    put(values, 'enterprise.domicile', details.domicile);
    // For an organisation the "applicant" person on a form is its contact (经办联系人).
    put(values, 'applicant.name', details.contactPerson);
    put(values, 'applicant.mobile', details.contactPhone);
    put(values, 'applicant.email', details.email);
    put(values, 'applicant.address', details.domicile);
    if (isVerified) verified.push('enterprise.name', 'enterprise.uscc', 'enterprise.legalRepresentative', 'enterprise.legalRepIdNumber');
  }
  return { accountId, kind: row.kind, realNameLevel: row.realNameLevel, values, verified, deliveryMobile };
}

export async function loadProfileView(deps: IdentityDeps, accountId: string): Promise<ProfileView | null> {
  const account = await deps.accounts.getById(accountId);
  if (!account || (account.kind !== 'citizen' && account.kind !== 'enterprise')) return null;
  const contact = await readContact(deps, accountId);
  const identity: ProfileView['identity'] = [];
  if (account.kind === 'citizen') {
    const p = await deps.accounts.getPerson(accountId);
    if (p) {
      identity.push({ key: 'name', label: '姓名', value: p.name });
      identity.push({ key: 'idNumber', label: '证件号码', value: p.idNumberMasked });
      identity.push({ key: 'mobile', label: '手机号码', value: p.mobileMasked ?? '' });
    }
  } else {
    const e = await deps.accounts.getEnterprise(accountId);
    if (e) {
      identity.push({ key: 'enterpriseName', label: '单位名称', value: e.name });
      identity.push({ key: 'uscc', label: '统一社会信用代码', value: e.uscc });
      identity.push({ key: 'legalRepresentative', label: '法定代表人', value: maskName(e.legalRepName) });
      identity.push({ key: 'legalRepIdNumber', label: '法定代表人证件号码', value: e.legalRepIdMasked });
    }
  }
  return {
    kind: account.kind,
    realNameLevel: account.realNameLevel,
    identity,
    contact: contact.details,
    editable: CONTACT_FIELDS[account.kind],
    version: contact.version,
    updatedAt: contact.updatedAt ? contact.updatedAt.toISOString() : null,
  };
}
