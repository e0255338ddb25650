import type { Actor } from '../../platform/auth/actor.ts';
import type { FormDefinition, FormValues } from '../../platform/forms/index.ts';
import type { CaseApplicantProfile } from './ports.ts';

/** A field shown read-only because the account's real-name data fills it (issue 3). */
export interface LockedField {
  name: string;
  label: string;
  value: string;
  /** idNumber-like values are shown masked on the page; the server keeps the full value. */
  type: string;
}

export interface Prefill {
  values: FormValues;
  /** Field name → locked value: rendered read-only and enforced on submission. */
  locked: Record<string, LockedField>;
}

/**
 * "No datum asked twice": every field that names a profile source (`FormField.prefill`) starts
 * with the account's value; fields whose source is real-name verified are locked. Without a
 * profile (the port not wired) only what the actor carries is used: the name and the USCC.
 */
export function prefillFromProfile(def: FormDefinition, profile: CaseApplicantProfile | null, actor: Actor): Prefill {
  const source: Partial<Record<string, string>> = profile
    ? profile.values
    : actor.kind === 'enterprise'
      ? { 'enterprise.name': actor.displayName, 'enterprise.uscc': actor.uscc }
      : actor.kind === 'citizen'
        ? { 'applicant.name': actor.displayName }
        : {};
  const verified = new Set(profile?.verified ?? []);
  const values: FormValues = {};
  const locked: Record<string, LockedField> = {};
  for (const f of def.fields) {
    if (!f.prefill) continue;
    const v = source[f.prefill];
    if (typeof v !== 'string' || v === '') continue;
    values[f.name] = v;
    if (verified.has(f.prefill)) locked[f.name] = { name: f.name, label: f.label, value: v, type: f.type };
  }
  return { values, locked };
}

/** Submitted or draft values with the locked fields put back to the account's values (a tampered form changes nothing). */
export function withLocked(values: Record<string, unknown>, locked: Record<string, LockedField>): Record<string, unknown> {
  const out = { ...values };
  for (const l of Object.values(locked)) out[l.name] = l.value;
  return out;
}
