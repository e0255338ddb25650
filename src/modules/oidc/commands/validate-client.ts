import type { FieldError } from '../../../platform/errors.ts';
import { redirectUriProblem, splitRedirectUris } from '../redirect-uri.ts';

export interface ClientInput {
  name?: unknown;
  organisationName?: unknown;
  organisationId?: unknown;
  redirectUris?: unknown;
  requireConsent?: unknown;
}

export interface ValidClient {
  name: string;
  organisationName: string;
  organisationId: string | null;
  redirectUris: string[];
  requireConsent: boolean;
}

/** Field labels, for the error summary and API messages. */
export const CLIENT_FIELD_LABELS = {
  name: '系统名称',
  organisationName: '所属单位',
  organisationId: '单位编码',
  redirectUris: '回调地址',
  requireConsent: '需要用户确认授权',
} as const satisfies Record<string, string>;

const MAX_REDIRECT_URIS = 10;

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** Checks a registration; every message names its field in Chinese. */
export function validateClientInput(input: ClientInput): { value: ValidClient; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = text(input.name);
  if (!name) errors.push({ field: 'name', message: '请填写系统名称' });
  else if (name.length > 60) errors.push({ field: 'name', message: '系统名称不能超过 60 个字' });

  const organisationName = text(input.organisationName);
  if (!organisationName) errors.push({ field: 'organisationName', message: '请填写所属单位' });
  else if (organisationName.length > 100) errors.push({ field: 'organisationName', message: '所属单位不能超过 100 个字' });

  const organisationId = text(input.organisationId) || null;
  if (organisationId && organisationId.length > 64) errors.push({ field: 'organisationId', message: '单位编码不能超过 64 个字符' });

  const uris = splitRedirectUris(input.redirectUris ?? '');
  if (uris === null) {
    errors.push({ field: 'redirectUris', message: '回调地址应为网址列表' });
  } else if (uris.length === 0) {
    errors.push({ field: 'redirectUris', message: '请至少填写一个回调地址' });
  } else if (uris.length > MAX_REDIRECT_URIS) {
    errors.push({ field: 'redirectUris', message: `回调地址最多 ${MAX_REDIRECT_URIS} 个` });
  } else {
    const problems = uris.map(redirectUriProblem).filter((p): p is string => p !== null);
    if (problems.length > 0) errors.push({ field: 'redirectUris', message: problems.join('；') });
  }

  const consent = input.requireConsent;
  const requireConsent = consent === true || consent === '1' || consent === 'on' || consent === 'true';

  return {
    value: { name, organisationName, organisationId, redirectUris: [...new Set(uris ?? [])], requireConsent },
    errors,
  };
}
