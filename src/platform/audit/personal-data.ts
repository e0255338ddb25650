import type { RequestContext } from '../auth/actor.ts';
import type { Transactor } from '../unit-of-work.ts';

/**
 * Showing personal data unmasked (a full 公民身份号码, a mobile number, an address) is
 * recorded: who saw which fields of which record, when, from where (《个人信息保护法》
 * Art. 51; module-guide "Personal data is masked in lists"). Lists show masked values; a
 * page or API that reveals the full value calls this first, in the same request.
 *
 * The entry names the fields, never their values.
 */
export interface PersonalDataView {
  /** What the data belongs to, e.g. 'account', 'case', 'enterprise'. */
  objectType: string;
  objectId: string;
  /** Field names shown unmasked, e.g. ['citizenId', 'mobile']. */
  fields: string[];
  /** Why, when the page asks for it (e.g. '核验身份'). */
  purpose?: string;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export async function auditPersonalDataView(transactor: Transactor, ctx: RequestContext, view: PersonalDataView): Promise<void> {
  if (view.fields.length === 0) throw new Error('auditPersonalDataView: name at least one field');
  for (const f of view.fields) {
    // A field *name*; catches a caller passing the value itself by mistake.
    // (The message does not repeat it: it may be the personal data itself.)
    if (!FIELD_NAME.test(f)) throw new Error('auditPersonalDataView: fields must be field names such as "citizenId", not values');
  }
  await transactor.auditOnly(ctx, {
    action: 'personal-data.view',
    objectType: view.objectType,
    objectId: view.objectId,
    detail: { fields: [...new Set(view.fields)].sort(), ...(view.purpose ? { purpose: view.purpose.slice(0, 200) } : {}) },
  });
}
