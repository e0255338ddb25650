import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { KbEntry, KbValues } from '../kb.repository.ts';
import { centreOf } from '../policies.ts';
import { subtreePrefix } from '../../../platform/auth/scope.ts';
import type { AppealDeps } from './deps.ts';
import type { Centre } from '../ticket.repository.ts';

export interface KbInput {
  question?: unknown;
  answer?: unknown;
  categoryCode?: unknown;
  keywords?: unknown;
  published?: unknown;
  version?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '');

export function validateKbInput(raw: KbInput): { value: KbValues; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const question = str(raw.question);
  const answer = str(raw.answer);
  if ([...question].length < 4) errors.push({ field: 'question', message: '问题至少 4 个字' });
  else if ([...question].length > 200) errors.push({ field: 'question', message: '问题不能超过 200 个字' });
  if ([...answer].length < 4) errors.push({ field: 'answer', message: '答案至少 4 个字' });
  else if ([...answer].length > 5000) errors.push({ field: 'answer', message: '答案不能超过 5000 个字' });
  const keywords = (Array.isArray(raw.keywords) ? raw.keywords.map(str) : str(raw.keywords).split(/[,，、\s]+/)).filter(Boolean);
  if (keywords.length > 20) errors.push({ field: 'keywords', message: '关键词最多 20 个' });
  if (keywords.some((k) => [...k].length > 20)) errors.push({ field: 'keywords', message: '每个关键词不超过 20 个字' });
  const published = raw.published === true || raw.published === 'on' || raw.published === 'true';
  return { value: { question, answer, categoryCode: str(raw.categoryCode) || null, keywords: [...new Set(keywords)], published }, errors };
}

/**
 * 知识库: a hotline office writes and publishes entries for its subtree. Published entries answer
 * consultations at once and go into the one search box as `qa`; unpublished ones leave it.
 */
export async function saveKbEntry(deps: AppealDeps, uow: UnitOfWork, id: string | null, raw: KbInput, centres: Centre[]): Promise<Result<KbEntry, 'forbidden' | 'not_found' | 'invalid' | 'conflict'>> {
  const actor = uow.ctx.actor;
  const centre = centreOf(actor, centres);
  if (actor.kind !== 'staff' || !deps.permissions.has(actor, 'appeals.kb-manage') || !centre) {
    await uow.audit({ action: 'appeal.kb.save', objectType: 'appeal_kb', objectId: id, outcome: 'denied' });
    return refuse('forbidden', '只有热线工作机构的负责人可以维护知识库');
  }
  const { value, errors } = validateKbInput(raw);
  if (value.categoryCode && !(await deps.tickets.categories(uow.tx)).some((c) => c.code === value.categoryCode)) errors.push({ field: 'categoryCode', message: '诉求分类不存在' });
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  let entry: KbEntry | null;
  if (id) {
    const current = await deps.kb.get(id, uow.tx);
    if (!current || !current.divisionCode.startsWith(subtreePrefix(centre.divisionCode))) return refuse('not_found', '知识条目不存在或不在您的管辖范围内');
    const version = Number(str(raw.version) || (typeof raw.version === 'number' ? raw.version : NaN));
    if (version !== current.version) return refuse('conflict', '该知识条目已被他人修改，请刷新后重试');
    entry = await deps.kb.update(uow.tx, id, version, value);
    if (!entry) return refuse('conflict', '该知识条目已被他人修改，请刷新后重试');
  } else {
    entry = await deps.kb.insert(uow.tx, { ...value, divisionCode: centre.divisionCode, organisationId: centre.organisationId, organisationName: centre.organisationName });
  }
  const key = `qa:${entry.id}`;
  if (entry.published) {
    await deps.search.put(uow, {
      key,
      kind: 'qa',
      title: entry.question,
      body: entry.answer,
      url: `/appeals/kb/${entry.id}`,
      publishedAt: entry.updatedAt,
      divisionCode: entry.divisionCode,
      organisationId: entry.organisationId,
      organisationName: entry.organisationName,
      category: entry.categoryCode,
      keywords: entry.keywords,
    });
  } else {
    await deps.search.remove(uow, key);
  }
  await uow.audit({ action: id ? 'appeal.kb.update' : 'appeal.kb.create', objectType: 'appeal_kb', objectId: entry.id, detail: { published: entry.published, version: entry.version } });
  return ok(entry);
}
