import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, ActorKind } from '../auth/actor.ts';
import type { PermissionRegistry } from '../auth/permissions.ts';
import { AppError } from '../errors.ts';

/**
 * Every route declares who may call it (STYLE.md §7) in `config.access`:
 *
 * - `{ public: true }` — anyone, signed in or not;
 * - `{ signedIn: ['citizen', 'enterprise'] }` — a signed-in actor of one of these kinds;
 * - `{ permission: 'notice.publish' }` — staff whose current position holds it (the route
 *   still checks the resource with a policy: this only opens the door).
 *
 * `installAccessControl` refuses to boot (app.ready() fails) when a route lacks a
 * declaration; `authorizeRoute` enforces it before the body is even validated.
 */
export type Access = { public: true } | { signedIn: ActorKind[] } | { permission: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface RouteRecord {
  method: string;
  url: string;
  access: Access;
}

export function describeAccess(access: Access): string {
  if ('public' in access) return 'public';
  if ('signedIn' in access) return `signedIn:${access.signedIn.join('|')}`;
  return `permission:${access.permission}`;
}

export function installAccessControl(app: FastifyInstance, permissions: PermissionRegistry, routes: RouteRecord[]): void {
  const seen: { methods: string[]; url: string; options: { config?: { access?: Access } } }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    seen.push({ methods, url: route.url, options: route });
  });
  // Checked when the app is ready, after every context had its say (third-party plugins
  // get their declaration from the context that registers them).
  app.addHook('onReady', async () => {
    for (const r of seen) {
      const access = r.options.config?.access;
      if (!access) {
        throw new Error(`route ${r.methods.join(',')} ${r.url} declares no access (config.access); every route must say who may call it`);
      }
      if ('permission' in access && !permissions.get(access.permission)) {
        throw new Error(`route ${r.methods.join(',')} ${r.url} requires undeclared permission ${access.permission}`);
      }
      for (const method of r.methods) if (method !== 'HEAD') routes.push({ method, url: r.url, access });
    }
  });
}

/** Enforces the route's declaration; runs after the actor is resolved. */
export function authorizeRoute(request: FastifyRequest, permissions: PermissionRegistry): void {
  const access = request.routeOptions.config.access;
  if (!access) throw new AppError('ZW_ERR_FORBIDDEN'); // unreachable: boot refuses such routes
  const actor: Actor = request.actor;
  if ('public' in access) return;
  if (actor.kind === 'anonymous') throw new AppError('ZW_ERR_UNAUTHENTICATED');
  if ('signedIn' in access) {
    if (!access.signedIn.includes(actor.kind)) throw new AppError('ZW_ERR_FORBIDDEN', '当前账号类型无权访问此页面');
    return;
  }
  if (!permissions.has(actor, access.permission)) {
    throw new AppError('ZW_ERR_FORBIDDEN', `您当前的岗位没有“${permissions.get(access.permission)?.label ?? access.permission}”权限`);
  }
}
