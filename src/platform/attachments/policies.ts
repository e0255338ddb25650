import { actorId, type Actor } from '../auth/actor.ts';
import type { AttachmentMeta } from './attachment.repository.ts';

/**
 * Who may read an attachment besides its owner — decided by the code that knows why the
 * file was uploaded (e.g. the case module lets the clerk handling the case read its
 * materials). The platform itself knows only the owner.
 */
export type StoragePolicy = (actor: Actor, attachment: AttachmentMeta) => boolean | Promise<boolean>;

export async function canReadAttachment(actor: Actor, attachment: AttachmentMeta, policy?: StoragePolicy): Promise<boolean> {
  const id = actorId(actor);
  if (id !== null && actor.kind !== 'system' && id === attachment.ownerAccountId) return true;
  return policy ? await policy(actor, attachment) : false;
}
