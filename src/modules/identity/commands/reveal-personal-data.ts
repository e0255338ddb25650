import type { RequestContext } from '../../../platform/auth/actor.ts';
import { auditPersonalDataView } from '../../../platform/audit/personal-data.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { IdentityDeps } from '../deps.ts';
import { CONTEXT } from '../personal-data.ts';

export type RevealableField = 'idNumber' | 'mobile' | 'legalRepIdNumber';

export const REVEAL_LABEL: Record<RevealableField, string> = { idNumber: '身份证号码', mobile: '手机号码', legalRepIdNumber: '法定代表人身份证号码' };

/**
 * 查看完整号码: the account holder sees their own full ID number or mobile. Every such view
 * is audited as 'personal-data.view' (DOMAIN.md §10.5: every read of a full number is logged).
 */
export async function revealPersonalData(deps: IdentityDeps, ctx: RequestContext, field: string): Promise<Result<{ field: RevealableField; value: string }, 'forbidden' | 'not_found'>> {
  const actor = ctx.actor;
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') return refuse('forbidden', '只有个人和法人用户可以查看本人的完整号码');
  let value: string | null = null;
  if (actor.kind === 'citizen' && (field === 'idNumber' || field === 'mobile')) {
    const person = await deps.accounts.getPerson(actor.accountId);
    const enc = field === 'idNumber' ? person?.idNumberEnc : person?.mobileEnc;
    if (enc) value = deps.cipher.decrypt(enc, field === 'idNumber' ? CONTEXT.idNumber : CONTEXT.mobile);
  } else if (actor.kind === 'enterprise' && field === 'legalRepIdNumber') {
    const ent = await deps.accounts.getEnterprise(actor.accountId);
    if (ent) value = deps.cipher.decrypt(ent.legalRepIdEnc, CONTEXT.legalRepId);
  }
  if (value === null) return refuse('not_found', '没有可以查看的号码');
  await auditPersonalDataView(deps.transactor, ctx, { objectType: 'account', objectId: actor.accountId, fields: [field], purpose: '本人查看' });
  return ok({ field: field as RevealableField, value });
}
