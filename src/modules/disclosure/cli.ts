import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { createJurisdictionsModule } from '../jurisdictions/index.ts';
import { createRegistryModule } from '../registry/index.ts';
import { importPublications, type ImportAttachment } from './commands/import-publications.ts';
import { parseImportFile, type ImportRowReport } from './import-file.ts';
import { disclosureDeps } from './manifest.ts';
import { PublicationRepository } from './publication.repository.ts';
import { DisclosureCommands } from './service.ts';

/**
 * `zhengwu disclosure import <file> --organisation <name> [--attachments <dir>]`: migrates an
 * old site's publications for one organisation, synchronously, one transaction per document.
 * The import acts as that organisation's disclosure office (drafter, reviewer and publisher at
 * once, as the documents were already public); audit entries name the CLI.
 */
export async function importPublicationsFromFiles(platform: Platform, opts: { file: string; attachmentsDir?: string; organisation: string }): Promise<ImportRowReport[] | string> {
  const jurisdictions = createJurisdictionsModule(platform).service;
  const deps = disclosureDeps(jurisdictions, createRegistryModule(platform));
  const org = await deps.findOrganisation(opts.organisation);
  if (!org) return `找不到机构“${opts.organisation}”（请写机构全称）`;
  const parsed = parseImportFile(opts.file, await readFile(opts.file, 'utf8'));
  if (!parsed.ok) return parsed.message;
  const position = { id: `cli-${org.id}`, organisationId: org.id, organisationName: org.name, jurisdictionCode: org.jurisdictionCode, jurisdictionName: org.jurisdictionName, roles: ['clerk' as const, 'org_head' as const] };
  const actor: Actor = { kind: 'staff', accountId: 'system:cli-import', displayName: '命令行批量导入', realNameLevel: 0, positions: [position], position, totpVerified: true };
  const ctx: RequestContext = { actor, requestId: `cli-import-${Date.now().toString(36)}`, clientIp: null };

  const attachments = new Map<string, ImportAttachment>();
  const names = new Set(parsed.rows.flatMap((r) => r.attachments ?? []));
  for (const name of names) {
    if (!opts.attachmentsDir) break;
    const full = path.resolve(opts.attachmentsDir, name);
    // Names come from the data file: never read outside the attachments folder.
    if (!full.startsWith(path.resolve(opts.attachmentsDir) + path.sep)) {
      attachments.set(name, { ok: false, message: '文件名不能指向附件目录之外' });
      continue;
    }
    let content: Buffer;
    try {
      content = await readFile(full);
    } catch {
      continue; // reported per row as missing
    }
    const stored = await platform.attachments.put(content, { originalName: name, ctx });
    attachments.set(name, stored.ok ? { ok: true, id: stored.value.id } : { ok: false, message: stored.message });
  }

  const commands = new DisclosureCommands(
    { publications: new PublicationRepository(platform.db), permissions: platform.permissions, calendars: deps.calendars, numbers: deps.numbers, organisationUscc: deps.organisationUscc, search: platform.search },
    platform.transactor,
  );
  return importPublications(commands, ctx, parsed.rows, attachments);
}
