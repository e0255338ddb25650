import type { Actor, Position, RealNameLevel, RoleCode } from '../../platform/auth/actor.ts';
import type { AccountKind, AccountRow, EnterpriseRow, PersonRow } from './account.repository.ts';

/** What the account page and GET /api/me show: personal identifiers masked only. */
export interface AccountProfile {
  id: string;
  kind: AccountKind;
  loginName: string;
  displayName: string;
  realNameLevel: RealNameLevel;
  totpEnabled: boolean;
  person: { name: string; certificateType: string; idNumberMasked: string; mobileMasked: string | null; genderCode: string; birthDate: string } | null;
  enterprise: { uscc: string; name: string; legalRepName: string; legalRepIdMasked: string } | null;
  positions: Position[];
}

export function presentProfile(account: AccountRow, person: PersonRow | null, enterprise: EnterpriseRow | null, positions: Position[]): AccountProfile {
  return {
    id: account.id,
    kind: account.kind,
    loginName: account.loginName,
    displayName: account.displayName,
    realNameLevel: account.realNameLevel,
    totpEnabled: account.totpEnabled,
    person: person
      ? {
          name: person.name,
          certificateType: person.certificateType,
          idNumberMasked: person.idNumberMasked,
          mobileMasked: person.mobileMasked,
          genderCode: person.genderCode,
          birthDate: person.birthDate,
        }
      : null,
    enterprise: enterprise ? { uscc: enterprise.uscc, name: enterprise.name, legalRepName: enterprise.legalRepName, legalRepIdMasked: enterprise.legalRepIdMasked } : null,
    positions,
  };
}

export interface PresentedPosition {
  id: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  roles: RoleCode[];
}

/** The API view of the signed-in actor (GET /api/me, POST /api/auth/login). */
export function presentActor(actor: Actor): Record<string, unknown> {
  switch (actor.kind) {
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'system':
      return { kind: 'system', name: actor.name };
    case 'citizen':
      return { kind: 'citizen', accountId: actor.accountId, displayName: actor.displayName, realNameLevel: actor.realNameLevel };
    case 'enterprise':
      return { kind: 'enterprise', accountId: actor.accountId, displayName: actor.displayName, realNameLevel: actor.realNameLevel, uscc: actor.uscc };
    case 'staff':
      return {
        kind: 'staff',
        accountId: actor.accountId,
        displayName: actor.displayName,
        realNameLevel: actor.realNameLevel,
        totpVerified: actor.totpVerified,
        position: presentPosition(actor.position),
        positions: actor.positions.map(presentPosition),
      };
  }
}

function presentPosition(p: Position): PresentedPosition {
  return { id: p.id, organisationId: p.organisationId, organisationName: p.organisationName, jurisdictionCode: p.jurisdictionCode, jurisdictionName: p.jurisdictionName, roles: p.roles };
}
