import type { FastifyRequest } from 'fastify';
import type { FieldError } from '../../../platform/errors.ts';
import type { ItemMaterial } from '../ports.ts';
import type { CaseService } from '../service.ts';

export interface ParsedApplication {
  fields: Record<string, string | string[]>;
  /** Material code → attachment id (uploaded now or picked from the library). */
  chosen: Record<string, string>;
  errors: FieldError[];
}

/**
 * Reads a multipart application form: text fields, and per material either a file upload
 * (`file-<code>`, stored through platform.attachments into the applicant's library) or a pick
 * from the library (`pick-<code>`). Upload refusals (type by magic bytes, size) become field errors.
 */
export async function readApplicationParts(request: FastifyRequest, service: CaseService, materials: ItemMaterial[], limits?: { files: number; fields: number; parts: number }): Promise<ParsedApplication> {
  const fields: Record<string, string | string[]> = {};
  const uploaded: Record<string, string> = {};
  const errors: FieldError[] = [];
  for await (const part of limits ? request.parts({ limits }) : request.parts()) {
    if (part.type === 'file') {
      const code = part.fieldname.startsWith('file-') ? part.fieldname.slice(5) : '';
      const m = materials.find((x) => x.code === code);
      if (!m || !part.filename) {
        await part.toBuffer();
        continue;
      }
      const r = await service.uploadMaterial(request.ctx, { source: part.file, fileName: part.filename, claimedType: part.mimetype, label: m.name });
      part.file.resume();
      if (r.ok) uploaded[code] = r.value.attachment_id;
      else errors.push({ field: `material-${code}`, message: r.message });
    } else {
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      const prev = fields[part.fieldname];
      fields[part.fieldname] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
  }
  const chosen: Record<string, string> = {};
  for (const m of materials) {
    const pick = fields[`pick-${m.code}`];
    const picked = typeof pick === 'string' && pick ? pick : undefined;
    const id = uploaded[m.code] ?? picked;
    if (id) chosen[m.code] = id;
  }
  return { fields, chosen, errors };
}

/** Form values for the item's fields only (checkbox fields always as lists). */
export function formInput(fields: Record<string, string | string[]>, names: { name: string; type: string }[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of names) {
    const v = fields[f.name];
    if (v === undefined) continue;
    out[f.name] = f.type === 'checkbox' && !Array.isArray(v) ? [v] : v;
  }
  return out;
}
