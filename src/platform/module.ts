import type { FastifyInstance } from 'fastify';
import type { Actor } from './auth/actor.ts';
import type { Grants, PermissionDef } from './auth/permissions.ts';
import type { Migration } from './db/migrator.ts';
import type { Platform } from './platform.ts';
import type { SearchSource } from './search/contract.ts';
import type { SearchProvider } from './search/providers.ts';

/** An entry in the staff workbench's left navigation. */
export interface NavItem {
  label: string;
  labelEn: string;
  href: string;
  /** Shown only to actors holding this permission. */
  permission: string;
  /**
   * What is waiting there for the actor, shown on the workbench home's card (e.g. “待办 16 件 ·
   * 红牌 3”); null for nothing to show. Asked on the home page only, never for the left navigation.
   */
  waiting?: (actor: Actor) => Promise<WaitingFigure | null>;
}

/** A workbench home card's figure, in both page languages. */
export interface WaitingFigure {
  text: string;
  textEn: string;
}

/**
 * What a module tells the platform about itself (STYLE.md §10, after Decidim's component
 * manifests): its schema and migrations, its permissions and default grants, its
 * navigation, its routes, and its demo seed. The platform reads manifests; it never
 * reaches into a module's tables.
 */
export interface ModuleManifest {
  /** Module name; also the Postgres schema it owns. */
  name: string;
  title: string;
  migrations: Migration[];
  permissions: PermissionDef[];
  grants?: Grants;
  navigation?: NavItem[];
  /** Registers the module's pages and API in its own encapsulated Fastify context. */
  routes?: (app: FastifyInstance) => Promise<void>;
  /**
   * What the module puts into the one search box (kinds and their labels, a full re-feed);
   * documents go in through platform.search.put. (A SearchProvider is the deprecated
   * answer-from-own-tables shape, still shown beside the ranked results.)
   */
  search?: SearchSource | SearchProvider;
  /** Demo data for `zhengwu seed` / first start; must be idempotent. */
  seed?: (platform: Platform) => Promise<void>;
}
