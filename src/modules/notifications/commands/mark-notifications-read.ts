import { actorId } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { markRead } from '../../../platform/notify/notification.repository.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';

/**
 * Marks the signed-in account's own messages read: one (`id`) or all. Idempotent — a
 * message already read, or someone else's, is simply not changed (nothing is revealed
 * about other inboxes).
 */
export async function markNotificationsRead(uow: UnitOfWork, input: { id?: number }): Promise<Result<{ changed: number }, 'forbidden'>> {
  const recipient = actorId(uow.ctx.actor);
  if (!recipient || uow.ctx.actor.kind === 'system') return refuse('forbidden', '只有登录用户才有消息中心');
  const changed = await markRead(uow.tx, recipient, input.id === undefined ? undefined : [input.id]);
  if (changed.length > 0) {
    await uow.audit({
      action: 'notification.read',
      objectType: 'notification',
      objectId: changed.length === 1 ? String(changed[0]) : null,
      detail: { count: changed.length },
    });
  }
  return ok({ changed: changed.length });
}
