import type { RealNameLevel, RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { uniqueViolation } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';
import { hashPassword } from '../passwords.ts';
import { protectIdNumber, protectMobile } from '../personal-data.ts';
import { checkIdNumber, checkLoginName, checkMobile, checkNewPassword, checkPersonName, generatedLoginName, secret, str } from './validate-account-input.ts';

export interface RegisteredAccount {
  accountId: string;
  loginName: string;
}

export type RegistrationRefusal = 'invalid' | 'duplicate';

const DUPLICATE: Record<string, FieldError> = {
  account_login_name_key: { field: 'loginName', message: '该用户名已被使用，请换一个' },
  person_id_number_unique: { field: 'idNumber', message: '该身份证号码已注册，请直接登录；如忘记密码，请找回密码' },
  person_mobile_unique: { field: 'mobile', message: '该手机号码已被其他账号使用' },
};

/**
 * 个人用户注册. Fields: name, idNumber, mobile, loginName (optional), password,
 * passwordConfirm (forms send it; the API may omit it). Real-name level 0 until the mobile
 * is verified (a password reset by SMS raises it to L1) — DOMAIN.md §10.2.
 *
 * One transaction inserts the account and the person; duplicates are found by the unique
 * constraints (no check-then-insert race), and a refused insert leaves nothing behind.
 */
export async function registerCitizen(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: Record<string, unknown>,
  opts: { realNameLevel?: RealNameLevel; passwordHash?: string } = {},
): Promise<Result<RegisteredAccount, RegistrationRefusal>> {
  const errors: FieldError[] = [];
  const name = str(input, 'name');
  checkPersonName(name, 'name', '姓名', errors);
  const id = checkIdNumber(str(input, 'idNumber'), 'idNumber', errors);
  const mobile = checkMobile(str(input, 'mobile'), 'mobile', errors);
  const chosenLogin = str(input, 'loginName');
  const loginName = chosenLogin ? checkLoginName(chosenLogin, 'loginName', errors) : generatedLoginName();
  const password = secret(input, 'password');
  if (!opts.passwordHash) {
    const confirm = typeof input.passwordConfirm === 'string' ? input.passwordConfirm : null;
    checkNewPassword(password, confirm, { loginName: chosenLogin || null, idNumber: id?.normalized ?? str(input, 'idNumber'), mobile }, errors);
  }
  if (errors.length > 0 || !id || !mobile || !loginName) return refuse('invalid', '请修改标记的内容', errors);

  const passwordHash = opts.passwordHash ?? (await hashPassword(password));
  const idNumber = protectIdNumber(deps.cipher, id.normalized);
  const phone = protectMobile(deps.cipher, mobile);
  try {
    const accountId = await deps.transactor.run(ctx, async (uow) => {
      const account = await deps.accounts.insertAccount(uow.tx, {
        kind: 'citizen',
        loginName,
        displayName: name,
        passwordHash,
        realNameLevel: opts.realNameLevel ?? 0,
      });
      await deps.accounts.insertPerson(uow.tx, {
        accountId: account.id,
        name,
        idNumberEnc: idNumber.enc,
        idNumberHash: idNumber.hash,
        idNumberMasked: idNumber.masked,
        mobileEnc: phone.enc,
        mobileHash: phone.hash,
        mobileMasked: phone.masked,
        genderCode: id.details.genderCode,
        birthDate: id.details.birthDate,
      });
      await uow.audit({ action: 'account.register', objectType: 'account', objectId: account.id, detail: { kind: 'citizen', loginName } });
      return account.id;
    });
    return ok({ accountId, loginName });
  } catch (e) {
    const constraint = uniqueViolation(e);
    if (constraint === null) throw e;
    const field = DUPLICATE[constraint] ?? { field: 'idNumber', message: '该用户已注册' };
    return refuse('duplicate', field.message, [field]);
  }
}
