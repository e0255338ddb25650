import type { Actor } from '../../../platform/auth/actor.ts';
import type { FormValues } from '../../../platform/forms/index.ts';
import { draftFormValues } from '../commands/save-draft.ts';
import { DraftRepository } from '../draft.repository.ts';
import type { ApplicationItem } from '../ports.ts';
import { prefillFromProfile, withLocked, type LockedField } from '../prefill.ts';
import type { CaseService } from '../service.ts';

export type Applicant = Extract<Actor, { kind: 'citizen' | 'enterprise' }>;

/** What the application page starts from: the profile's prefill, the draft over it, locked fields last. */
export interface ApplicationStart {
  values: FormValues;
  locked: Record<string, LockedField>;
  chosen: Record<string, string>;
  draft: { version: number; savedAt: Date } | null;
}

/** Prefill (identity's profile, read before any transaction) and the locked, real-name-verified fields. */
export async function prefillFor(service: CaseService, actor: Applicant, item: ApplicationItem) {
  const profile = (await service.deps.applicants.applicantProfile?.(actor.accountId)) ?? null;
  return { ...prefillFromProfile(item.form, profile, actor), ...(profile && profile.deliveryMobile !== undefined ? { deliveryMobile: profile.deliveryMobile } : {}) };
}

export async function applicationStart(service: CaseService, actor: Applicant, item: ApplicationItem): Promise<ApplicationStart> {
  const pre = await prefillFor(service, actor, item);
  const d = await new DraftRepository(service.deps.cases.db).forItem(actor.accountId, item.id);
  const values = withLocked(d ? { ...pre.values, ...draftFormValues(service.deps, d) } : pre.values, pre.locked) as FormValues;
  const chosen = d ? Object.fromEntries(d.materials.filter((m) => item.materials.some((x) => x.code === m.code)).map((m) => [m.code, m.attachmentId])) : {};
  return { values, locked: pre.locked, chosen, draft: d ? { version: d.version, savedAt: d.updated_at } : null };
}
