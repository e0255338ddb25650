import type { RequestContext } from '../../../platform/auth/actor.ts';
import { isAcceptable, validateUscc } from '../../../platform/codes/validators.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { uniqueViolation } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';
import { hashPassword } from '../passwords.ts';
import { CONTEXT, protectIdNumber } from '../personal-data.ts';
import type { RegisteredAccount, RegistrationRefusal } from './register-citizen.ts';
import { checkIdNumber, checkNewPassword, checkPersonName, secret, str } from './validate-account-input.ts';

/**
 * 法人用户注册. Fields: uscc, enterpriseName, legalRepName, legalRepIdNumber, password,
 * passwordConfirm. The USCC is the login name (lower-cased). Typed input must pass the
 * GB 32100 check character; an unknown authority/category pair only warns (DOMAIN.md §1.2.2)
 * and the warning is kept with the record. `origin: 'registry'` (seeds, imports) accepts a
 * wrong check character with a warning.
 */
export async function registerEnterprise(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: Record<string, unknown>,
  opts: { origin?: 'userInput' | 'registry'; passwordHash?: string } = {},
): Promise<Result<RegisteredAccount & { warnings: string[] }, RegistrationRefusal>> {
  const errors: FieldError[] = [];
  const usccCheck = validateUscc(str(input, 'uscc'));
  if (!isAcceptable(usccCheck, opts.origin ?? 'userInput')) errors.push({ field: 'uscc', message: usccCheck.message ?? '统一社会信用代码不正确' });
  const warnings = [...usccCheck.warnings, ...(usccCheck.status === 'valid' ? [] : [usccCheck.message ?? ''])].filter(Boolean);
  const name = str(input, 'enterpriseName');
  if (!name) errors.push({ field: 'enterpriseName', message: '请填写企业名称' });
  else if ([...name].length < 2 || [...name].length > 100) errors.push({ field: 'enterpriseName', message: '企业名称应为 2–100 个字' });
  const legalRepName = str(input, 'legalRepName');
  checkPersonName(legalRepName, 'legalRepName', '法定代表人姓名', errors);
  const repId = checkIdNumber(str(input, 'legalRepIdNumber'), 'legalRepIdNumber', errors);
  const password = secret(input, 'password');
  if (!opts.passwordHash) {
    const confirm = typeof input.passwordConfirm === 'string' ? input.passwordConfirm : null;
    checkNewPassword(password, confirm, { loginName: usccCheck.normalized, idNumber: repId?.normalized }, errors);
  }
  if (errors.length > 0 || !repId) return refuse('invalid', '请修改标记的内容', errors);

  const loginName = usccCheck.normalized.toLowerCase();
  const passwordHash = opts.passwordHash ?? (await hashPassword(password));
  const rep = protectIdNumber(deps.cipher, repId.normalized, CONTEXT.legalRepId);
  try {
    const accountId = await deps.transactor.run(ctx, async (uow) => {
      const account = await deps.accounts.insertAccount(uow.tx, { kind: 'enterprise', loginName, displayName: name, passwordHash, realNameLevel: 0 });
      await deps.accounts.insertEnterprise(uow.tx, {
        accountId: account.id,
        uscc: usccCheck.normalized,
        name,
        legalRepName,
        legalRepIdEnc: rep.enc,
        legalRepIdHash: rep.hash,
        legalRepIdMasked: rep.masked,
        usccWarnings: warnings,
      });
      await uow.audit({ action: 'account.register', objectType: 'account', objectId: account.id, detail: { kind: 'enterprise', uscc: usccCheck.normalized, warnings } });
      return account.id;
    });
    return ok({ accountId, loginName, warnings });
  } catch (e) {
    const constraint = uniqueViolation(e);
    if (constraint === null) throw e;
    return refuse('duplicate', '该统一社会信用代码已注册，请直接登录', [{ field: 'uscc', message: '该统一社会信用代码已注册，请直接登录' }]);
  }
}
