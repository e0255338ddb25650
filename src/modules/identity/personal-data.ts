import { maskCitizenId, maskMobile, normalizeCode } from '../../platform/codes/validators.ts';
import type { PersonalDataCipher } from './personal-data-cipher.ts';

/** Column contexts bound into each ciphertext (a value moved to another column fails to decrypt). */
export const CONTEXT = {
  idNumber: 'identity.person.id_number',
  mobile: 'identity.person.mobile',
  legalRepId: 'identity.enterprise.legal_rep_id',
  totpSecret: 'identity.account.totp_secret',
} as const;

/** Lookup-hash kinds: one keyed hash space per kind of identifier. */
export const LOOKUP = { idNumber: 'citizen-id:111', mobile: 'mobile' } as const;

const MOBILE = /^1[3-9]\d{9}$/;

/** Mainland mobile number: full-width digits, spaces, hyphens and a +86/86 prefix are dropped. */
export function normalizeMobile(input: string): string {
  const digits = input.normalize('NFKC').replace(/[\s\-()]/g, '');
  const m = /^(?:\+?86)?(1\d{10})$/.exec(digits);
  return m ? m[1]! : digits;
}

export function isMobile(normalized: string): boolean {
  return MOBILE.test(normalized);
}

export interface ProtectedValue {
  enc: string;
  hash: string;
  masked: string;
}

/** A citizen ID number (already validated and normalised) as stored: encrypted, keyed hash, mask. */
export function protectIdNumber(cipher: PersonalDataCipher, idNumber: string, context: string = CONTEXT.idNumber): ProtectedValue {
  const normalized = normalizeCode(idNumber);
  return { enc: cipher.encrypt(normalized, context), hash: cipher.lookupHash(LOOKUP.idNumber, normalized), masked: maskCitizenId(normalized) };
}

export function protectMobile(cipher: PersonalDataCipher, mobile: string): ProtectedValue {
  const normalized = normalizeMobile(mobile);
  return { enc: cipher.encrypt(normalized, CONTEXT.mobile), hash: cipher.lookupHash(LOOKUP.mobile, normalized), masked: maskMobile(normalized) };
}

/** What a sign-in identifier may be, most specific first (an 18-digit USCC also looks like an ID number). */
export type IdentifierKind = 'mobile' | 'idNumber' | 'loginName';

export function identifierCandidates(input: string): { kind: IdentifierKind; value: string }[] {
  const trimmed = input.normalize('NFKC').trim();
  const out: { kind: IdentifierKind; value: string }[] = [];
  const mobile = normalizeMobile(trimmed);
  if (isMobile(mobile)) out.push({ kind: 'mobile', value: mobile });
  const code = normalizeCode(trimmed);
  if (/^\d{17}[\dX]$/.test(code)) out.push({ kind: 'idNumber', value: code });
  out.push({ kind: 'loginName', value: trimmed.toLowerCase() });
  return out;
}

/** How an identifier may appear in an audit entry: never a full personal identifier (DOMAIN.md §10.5). */
export function identifierForAudit(c: { kind: IdentifierKind; value: string }): string {
  switch (c.kind) {
    case 'mobile':
      return maskMobile(c.value);
    case 'idNumber':
      return maskCitizenId(c.value);
    case 'loginName':
      return c.value.slice(0, 64);
  }
}
