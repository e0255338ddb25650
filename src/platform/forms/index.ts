/**
 * Forms as data (表单定义). Used by the catalog (definitions per item version, the editor)
 * and by cases (validation of submissions, rendering, prefill).
 *
 *   validateFormDefinition(raw)           → { ok, definition } | { ok: false, errors }   (editor, import)
 *   validateForm(def, input)              → { ok: true, values } | { ok: false, values, errors: { field: 中文 } }
 *   renderFormFields(def, values, errors, page) → html`` (ids `f-<name>`, works with errorSummary)
 *   prefillValues(def, profile)           → values from the applicant's account
 *   formToJsonSchema(def)                 → JSON Schema 2020-12 with titles
 *   mergeForms(defs)                      → one form, fields de-duplicated by name (life events)
 *   fieldsByName(def)                     → the fields by name (kept per definition; hot paths)
 */
export * from './definition.ts';
export { validateForm, prefillValues, displayValue, isFieldShown, type FormValidation, type PrefillProfile } from './validate.ts';
export { renderFormFields } from './render.ts';
export { formToJsonSchema, type JsonSchema } from './json-schema.ts';
