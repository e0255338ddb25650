import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { parseBpmn, type DefinitionRow, type WorkflowEngine } from '../../../platform/workflow/index.ts';

export interface DefinitionDeps {
  engine: WorkflowEngine;
  permissions: PermissionRegistry;
}

export interface DefinitionInput {
  key?: unknown;
  name?: unknown;
  xml?: unknown;
  comment?: unknown;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** Checks the form fields (not the BPMN). */
export function validateDefinitionInput(raw: DefinitionInput): { value: { key: string; name: string; xml: string; comment: string }; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const key = typeof raw.key === 'string' ? raw.key.trim() : '';
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  const xml = typeof raw.xml === 'string' ? raw.xml.replace(/\r\n/g, '\n').trim() : '';
  const comment = typeof raw.comment === 'string' ? raw.comment.trim() : '';
  if (!key) errors.push({ field: 'key', message: '请填写流程标识（如事项实施编码）' });
  else if (!KEY.test(key)) errors.push({ field: 'key', message: '流程标识只能包含字母、数字和 _ . : -，以字母或数字开头，不超过 100 个字符' });
  else if (key === 'default') errors.push({ field: 'key', message: '“default”是系统通用流程的标识，请换一个' });
  if (!name) errors.push({ field: 'name', message: '请填写流程名称' });
  else if ([...name].length > 200) errors.push({ field: 'name', message: '流程名称不能超过 200 个字' });
  if (!xml) errors.push({ field: 'xml', message: '请提供 BPMN 2.0 XML（可在流程设计器中绘制）' });
  if ([...comment].length > 500) errors.push({ field: 'comment', message: '修改说明不能超过 500 个字' });
  return { value: { key, name, xml, comment }, errors };
}

/**
 * Saves a BPMN definition as a new draft version of the organisation's key. The XML is
 * validated first: a malformed or unsupported diagram is refused with the parser's reasons
 * and nothing is written — the published version keeps running untouched. Saving the same
 * content again (a retried submission) returns the existing draft instead of a duplicate.
 */
export async function saveDefinition(deps: DefinitionDeps, uow: UnitOfWork, input: DefinitionInput): Promise<Result<DefinitionRow & { unchanged: boolean }, 'forbidden' | 'invalid' | 'conflict'>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'staff' || !deps.permissions.has(actor, 'workflow.define')) return refuse('forbidden', '您当前的岗位不能编辑流程定义');
  const { value, errors } = validateDefinitionInput(input);
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const parsed = await parseBpmn(value.xml);
  if (!parsed.ok) {
    await uow.audit({ action: 'workflow.definition.save', objectType: 'workflow_definition', objectId: null, outcome: 'failure', detail: { key: value.key, errors: parsed.errors.slice(0, 5) } });
    return refuse('invalid', `BPMN 定义有 ${parsed.errors.length} 处错误，未保存`, parsed.errors.map((message) => ({ field: 'xml', message })));
  }
  const organisationId = actor.position.organisationId;
  const repo = deps.engine.repo;
  const newest = await repo.newestDefinition(organisationId, value.key, uow.tx);
  if (newest && newest.status === 'draft' && newest.xml === value.xml && newest.name === value.name) return ok({ ...newest, unchanged: true });
  const latest = newest?.version ?? 0;
  const row = await repo.insertDefinition(uow.tx, {
    organisationId,
    organisationName: actor.position.organisationName,
    jurisdictionCode: actor.position.jurisdictionCode,
    key: value.key,
    version: latest + 1,
    name: value.name,
    xml: value.xml,
    model: parsed.model,
    comment: value.comment,
    createdBy: actor.accountId,
  });
  if (!row) return refuse('conflict', '同时有人保存了该流程的新版本，请刷新后重试');
  await uow.audit({ action: 'workflow.definition.save', objectType: 'workflow_definition', objectId: row.id, detail: { key: row.key, version: row.version } });
  return ok({ ...row, unchanged: false });
}
