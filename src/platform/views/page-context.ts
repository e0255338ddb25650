import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import type { NavItem } from '../module.ts';

export type Lang = 'zh' | 'en';

/**
 * What every page needs to render its shell; built once per request. `csrfToken` and `nav` are
 * getters computed on first read (the CSRF cookie is set then): pass the object on, never a
 * spread copy, which would drop them.
 */
export interface PageContext {
  lang: Lang;
  largeText: boolean;
  actor: Actor;
  csrfToken: string;
  path: string;
  /** Workbench navigation the actor may see. */
  nav: NavItem[];
  /** One-line message carried across a redirect (e.g. "已保存"). */
  flash: string | null;
  requestId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    page: PageContext;
  }
}

/** Chinese first, English second: `t(page, '登录', 'Sign in')`. */
export function t(page: Pick<PageContext, 'lang'>, zh: string, en: string): string {
  return page.lang === 'en' ? en : zh;
}

export function pageOf(request: FastifyRequest): PageContext {
  return request.page;
}
