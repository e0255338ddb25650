import type { ModuleManifest } from '../module.ts';

/**
 * Feeds every module's current public documents into the index again (each manifest's
 * `search.reindex`, idempotent: put replaces by key). For a `zhengwu search reindex` command:
 * after restoring an old database, or when what a module indexes has changed.
 */
export async function reindexSearch(modules: ModuleManifest[]): Promise<{ module: string; documents: number }[]> {
  const done: { module: string; documents: number }[] = [];
  for (const m of modules) {
    const source = m.search;
    if (!source || !('kinds' in source) || !source.reindex) continue;
    done.push({ module: m.name, documents: await source.reindex() });
  }
  return done;
}
