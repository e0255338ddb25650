import type { FormDefinition, FormField } from './definition.ts';

export type JsonSchema = Record<string, unknown>;

const FORMAT_PATTERN: Partial<Record<FormField['type'], string>> = {
  idNumber: '^\\d{17}[\\dX]$',
  mobile: '^1[3-9]\\d{9}$',
  uscc: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$',
};

function fieldSchema(f: FormField): JsonSchema {
  const s: JsonSchema = { title: f.label };
  if (f.help) s.description = f.help;
  if (f.prefill) s['x-prefill'] = f.prefill;
  s['x-field-type'] = f.type;
  switch (f.type) {
    case 'number':
      s.type = 'number';
      if (f.min !== undefined) s.minimum = f.min;
      if (f.max !== undefined) s.maximum = f.max;
      return s;
    case 'checkbox':
      if (!f.options) {
        s.type = 'boolean';
        if (f.required) s.const = true;
        return s;
      }
      s.type = 'array';
      s.uniqueItems = true;
      s.items = { type: 'string', oneOf: f.options.map((o) => ({ const: o.value, title: o.label })) };
      if (f.required) s.minItems = 1;
      return s;
    case 'select':
    case 'radio':
      s.type = 'string';
      s.oneOf = (f.options ?? []).map((o) => ({ const: o.value, title: o.label }));
      return s;
    default:
      s.type = 'string';
      if (f.type === 'date') s.format = 'date';
      if (f.type === 'email') s.format = 'email';
      if (f.minLength !== undefined) s.minLength = f.minLength;
      else if (f.required) s.minLength = 1;
      if (f.maxLength !== undefined) s.maxLength = f.maxLength;
      if (f.pattern) s.pattern = `^(?:${f.pattern})$`;
      else if (FORMAT_PATTERN[f.type]) s.pattern = FORMAT_PATTERN[f.type];
      return s;
  }
}

/**
 * JSON Schema 2020-12 of a form (GovStack eForms): titles carry the Chinese labels;
 * unconditional required fields are `required`, conditional ones become `if/then` rules.
 * Check digits (ID number, USCC) are beyond JSON Schema: the server validates them.
 */
export function formToJsonSchema(def: FormDefinition, meta: { id?: string; title?: string } = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const rules: JsonSchema[] = [];
  for (const f of def.fields) {
    properties[f.name] = fieldSchema(f);
    if (!f.required) continue;
    if (!f.showIf) required.push(f.name);
    else {
      const eq = Array.isArray(f.showIf.equals) ? f.showIf.equals : [f.showIf.equals];
      const src = def.fields.find((x) => x.name === f.showIf?.field);
      const cond = src?.type === 'checkbox' && src.options ? { contains: { enum: eq } } : { enum: eq };
      rules.push({ if: { properties: { [f.showIf.field]: cond }, required: [f.showIf.field] }, then: { required: [f.name] } });
    }
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(meta.id ? { $id: meta.id } : {}),
    ...(meta.title ? { title: meta.title } : {}),
    type: 'object',
    properties,
    required,
    ...(rules.length ? { allOf: rules } : {}),
  };
}
