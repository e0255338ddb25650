const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a redirect URI may not be registered, in Chinese; null when it may. Department
 * systems must use https; plain http is accepted only on the loopback interface for
 * development (RFC 8252 §7.3 / OAuth 2.0 Security BCP §4.1). The provider compares
 * redirect URIs exactly, so we keep what was typed and only check it.
 */
export function redirectUriProblem(value: string): string | null {
  if (value.length > 2000) return '回调地址不能超过 2000 个字符';
  if (/\s/.test(value)) return '回调地址不能包含空格';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `“${value.slice(0, 100)}”不是有效的网址`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '回调地址必须以 https:// 开头';
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return '回调地址必须使用 https（仅本机开发可使用 http://localhost 或 http://127.0.0.1）';
  }
  if (value.includes('#')) return '回调地址不能包含 # 片段';
  if (url.username || url.password) return '回调地址不能包含用户名或密码';
  if (value.includes('*')) return '回调地址不能使用通配符 *';
  return null;
}

/** A form's textarea (one per line) or a JSON array → trimmed, non-empty entries. */
export function splitRedirectUris(input: unknown): string[] | null {
  if (typeof input === 'string') return input.split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  if (Array.isArray(input) && input.every((s) => typeof s === 'string')) return input.map((s: string) => s.trim()).filter((s) => s.length > 0);
  return null;
}
