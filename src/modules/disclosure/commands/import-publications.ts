import type { RequestContext } from '../../../platform/auth/actor.ts';
import { VALIDITY_LABEL, type Validity } from '../catalog.ts';
import type { ImportRow, ImportRowReport } from '../import-file.ts';
import type { DisclosureCommands } from '../service.ts';
import { FIELD_LABELS } from './validate-publication.ts';

/** An attachment of the import, already put into the attachment store (or why it could not be). */
export type ImportAttachment = { ok: true; id: string } | { ok: false; message: string };

const INDEX_NUMBER = /^[0-9A-Za-z\-/._]{4,60}$/;

/**
 * Imports rows one document at a time (each in its own transaction: never half-applied),
 * skipping source ids already imported by the organisation. Documents arrive already
 * published on the old site: they keep their index number (a collision is refused) and date.
 */
export async function importPublications(
  commands: DisclosureCommands,
  ctx: RequestContext,
  rows: ImportRow[],
  attachments: ReadonlyMap<string, ImportAttachment>,
  onProgress: (done: number, report: ImportRowReport) => Promise<void> = async () => {},
): Promise<ImportRowReport[]> {
  const actor = ctx.actor;
  if (actor.kind !== 'staff') throw new Error('import needs a staff actor');
  const categories = await commands.deps.publications.categories();
  const byName = new Map(categories.map((c) => [c.name, c.code]));
  const reports: ImportRowReport[] = [];
  for (const [i, row] of rows.entries()) {
    const report = await importOne(row, i + 1);
    reports.push(report);
    await onProgress(i + 1, report);
  }
  return reports;

  async function importOne(row: ImportRow, n: number): Promise<ImportRowReport> {
    const base = { row: n, sourceId: row.sourceId };
    if (actor.kind !== 'staff') throw new Error('unreachable');
    const sourceKey = `import:${actor.position.organisationId}:${row.sourceId}`;
    const existing = await commands.deps.publications.getBySourceId(sourceKey);
    if (existing) return { ...base, outcome: 'skipped', message: '该来源编号已导入，未重复导入', publicationId: existing.id };
    const problems: string[] = [];
    const attachmentIds: string[] = [];
    for (const name of row.attachments ?? []) {
      const a = attachments.get(name);
      if (!a) problems.push(`附件“${name}”不在附件目录中`);
      else if (!a.ok) problems.push(`附件“${name}”无法导入：${a.message}`);
      else attachmentIds.push(a.id);
    }
    if (row.indexNumber && !INDEX_NUMBER.test(row.indexNumber)) problems.push(`索引号“${row.indexNumber}”格式不正确`);
    let publishedAt: Date | undefined;
    if (row.publishedAt) {
      const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(row.publishedAt) ? `${row.publishedAt}T09:00:00+08:00` : row.publishedAt);
      if (Number.isNaN(d.getTime()) || d.getTime() > Date.now()) problems.push('发布日期无效');
      else publishedAt = d;
    }
    if (problems.length > 0) return { ...base, outcome: 'failed', message: problems.join('；') };
    const validity = (Object.entries(VALIDITY_LABEL).find(([, label]) => label === row.validity)?.[0] ?? row.validity ?? 'valid') as Validity;
    const result = await commands.createPublished(
      ctx,
      {
        title: row.title,
        docNumber: row.docNumber,
        issuingBody: row.issuingBody,
        writtenOn: row.writtenOn,
        categoryCode: row.category ? (byName.get(row.category) ?? row.category) : undefined,
        theme: row.theme,
        genre: row.genre,
        validity,
        summary: row.summary,
        body: row.body,
        attachmentIds,
      },
      { reviewOpinion: '历史公开信息迁移导入，原网站已公开', sourceId: sourceKey, ...(row.indexNumber ? { indexNumber: row.indexNumber } : {}), ...(publishedAt ? { publishedAt } : {}) },
    );
    if (!result.ok) {
      const detail = result.fields?.length ? result.fields.map((f) => `${FIELD_LABELS[f.field] ?? f.field}：${f.message}`).join('；') : result.message;
      return { ...base, outcome: 'failed', message: detail };
    }
    return { ...base, outcome: 'created', message: `已导入，索引号 ${result.value.indexNumber ?? ''}`, publicationId: result.value.id };
  }
}
