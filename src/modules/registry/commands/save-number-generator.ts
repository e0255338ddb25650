import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import { parseNumberTemplate } from '../../../platform/codes/number-template.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { NumberGeneratorRow, NumberRepository } from '../number.repository.ts';
import { sequenceShape, validateNumberGeneratorInput } from '../number-generators.ts';
import { actorRef } from './add-calendar-entry.ts';

export interface NumberCommandDeps {
  numbers: NumberRepository;
  permissions: PermissionRegistry;
}

/**
 * Creates or changes a number generator (DOMAIN.md §1.4). The template must parse and its scope
 * must not let two counters print the same number (checkTemplateScope). Once a generator has
 * issued numbers, a change that would re-key its counters (scope, printed fields, reset period)
 * is refused: the sequences would restart at 1 and could print numbers already issued.
 */
export async function saveNumberGenerator(
  deps: NumberCommandDeps,
  uow: UnitOfWork,
  raw: { id?: unknown; name?: unknown; template?: unknown; scope?: unknown; description?: unknown },
): Promise<Result<NumberGeneratorRow, 'forbidden' | 'invalid' | 'conflict'>> {
  if (!deps.permissions.has(uow.ctx.actor, 'numbering.manage')) {
    await uow.audit({ action: 'numbering.save', objectType: 'number_generator', objectId: typeof raw.id === 'string' ? raw.id : null, outcome: 'denied' });
    return refuse('forbidden', '您当前的岗位不能维护编号规则');
  }
  const { value, errors } = validateNumberGeneratorInput(raw);
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const template = parseNumberTemplate(value.template);
  if (!template.ok) return refuse('invalid', template.message, [{ field: 'template', message: template.message }]);

  const current = await deps.numbers.lockGenerator(uow.tx, value.id);
  let saved: NumberGeneratorRow;
  if (!current) {
    saved = await deps.numbers.insertGenerator(uow.tx, { ...value, updatedBy: actorRef(uow) });
  } else {
    const before = parseNumberTemplate(current.template);
    const rekeyed = !before.ok || sequenceShape(before.template, current.scope) !== sequenceShape(template.template, value.scope);
    if (rekeyed && (await deps.numbers.hasIssued(uow.tx, value.id))) {
      const message = '该编号规则已发放过编号，修改计数范围、模板中的字段或日期粒度会使顺序号从 1 重新开始并可能产生重复编号；请保留原有字段和计数范围，或新建一个编号规则';
      return refuse('conflict', message, [{ field: 'template', message }]);
    }
    saved = await deps.numbers.updateGenerator(uow.tx, value.id, { ...value, updatedBy: actorRef(uow) });
  }
  await uow.audit({
    action: 'numbering.save',
    objectType: 'number_generator',
    objectId: saved.id,
    detail: { template: saved.template, scope: saved.scope, previous: current ? { template: current.template, scope: current.scope } : null },
  });
  return ok(saved);
}
