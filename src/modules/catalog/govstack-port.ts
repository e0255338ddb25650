/**
 * What the GovStack Registration BB adapter (src/modules/govstack) reads of the catalog:
 * published implementation items as "services" and their form versions as "eForms".
 * Read-only; owned by the govstack engineer (see docs/govstack.md).
 */
import type { Db } from '../../platform/db/database.ts';
import { CatalogRepository, type ItemRow, type VersionRow } from './catalog.repository.ts';

export interface GovstackCatalogPort {
  /** Published items, optionally by name (also pinyin / initials / code, as the public finder). */
  listPublished(f: { name?: string | undefined }, page: { limit: number; offset: number }): Promise<{ rows: ItemRow[]; total: number }>;
  /** Any item by id, whatever its status (so that "unpublished" and "unknown" can be told apart). */
  item(id: string): Promise<ItemRow | null>;
  /** A version by id (any status). */
  version(id: string): Promise<VersionRow | null>;
  /** The versions that were ever in force (published or superseded), newest first. */
  formVersions(itemId: string): Promise<VersionRow[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function govstackCatalogPort(db: Db): GovstackCatalogPort {
  const repo = new CatalogRepository(db);
  return {
    listPublished: (f, page) => repo.listPublished(f.name ? { q: f.name } : {}, page),
    item: (id) => (UUID.test(id) ? repo.getItem(id) : Promise.resolve(null)),
    version: (id) => (UUID.test(id) ? repo.getVersion(id) : Promise.resolve(null)),
    async formVersions(itemId) {
      if (!UUID.test(itemId)) return [];
      const all = await repo.listVersions(itemId);
      return all.filter((v) => v.status === 'published' || v.status === 'superseded').sort((a, b) => b.versionNo - a.versionNo);
    },
  };
}
