import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { CONTACT_CONTEXT, CONTACT_FIELDS, loadProfileView, readContact, type ContactDetails, type ProfileView } from '../applicant-profile.ts';
import type { IdentityDeps } from '../deps.ts';
import { isMobile, normalizeMobile } from '../personal-data.ts';

const MAX: Record<keyof ContactDetails, number> = { email: 100, address: 200, contactPerson: 30, contactPhone: 20, domicile: 200 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Landline 区号-号码 with an optional extension. */
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * 修改我的资料: the contact details the holder may change themselves (real-name data is not
 * editable here). Empty means "not given". Optimistic version: a stale save answers 409.
 */
export async function updateContactProfile(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: Record<string, unknown>,
): Promise<Result<ProfileView, 'forbidden' | 'invalid' | 'conflict'>> {
  const actor = ctx.actor;
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') return refuse('forbidden', '只有个人和法人用户有“我的资料”');
  const version = Number(input.version);
  if (!Number.isInteger(version) || version < 0) return refuse('invalid', '请刷新页面后重试', [{ field: 'version', message: '缺少资料版本号' }]);
  const errors: FieldError[] = [];
  const details: ContactDetails = {};
  for (const key of CONTACT_FIELDS[actor.kind]) {
    const raw = input[key];
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      errors.push({ field: key, message: '应为文本' });
      continue;
    }
    let v = (raw ?? '').normalize('NFKC').trim();
    if (v === '') continue;
    if (CONTROL.test(v)) errors.push({ field: key, message: '含有不能使用的控制字符' });
    else if ([...v].length > MAX[key]) errors.push({ field: key, message: `不能超过 ${MAX[key]} 个字` });
    else if (key === 'email' && !EMAIL.test(v)) errors.push({ field: key, message: '电子邮箱格式不正确，例如 name@example.com' });
    else if (key === 'contactPhone') {
      const m = normalizeMobile(v);
      if (isMobile(m)) v = m;
      else if (!LANDLINE.test(v)) errors.push({ field: key, message: '请填写 11 位手机号码或带区号的固定电话，例如 027-12345678' });
    }
    details[key] = v;
  }
  for (const key of Object.keys(input)) {
    if (key in MAX && !CONTACT_FIELDS[actor.kind].includes(key as keyof ContactDetails) && input[key]) {
      errors.push({ field: key, message: actor.kind === 'citizen' ? '个人用户没有此项资料' : '法人用户没有此项资料' });
    }
  }
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  const before = await readContact(deps, actor.accountId);
  const changed = CONTACT_FIELDS[actor.kind].filter((k) => (before.details[k] ?? '') !== (details[k] ?? ''));
  const saved = await deps.transactor.run(ctx, async (uow) => {
    const v = await deps.accounts.saveContactProfile(uow.tx, actor.accountId, deps.cipher.encrypt(JSON.stringify(details), CONTACT_CONTEXT), version, deps.now());
    if (v === null) return null;
    // field names only: the values are personal data
    await uow.audit({ action: 'account.profile.update', objectType: 'account', objectId: actor.accountId, detail: { changed, version: v } });
    return v;
  });
  if (saved === null) return refuse('conflict', '您的资料刚刚已在别处修改，请刷新页面查看最新内容后再保存');
  const view = await loadProfileView(deps, actor.accountId);
  if (!view) return refuse('forbidden', '账号不存在');
  return ok(view);
}
