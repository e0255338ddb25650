import { maskCitizenId, maskMobile, maskName } from '../../../platform/codes/validators.ts';
import { fieldsByName, type FormDefinition, type FormValue, type FormValues } from '../../../platform/forms/index.ts';

const PII_TYPES = new Set(['idNumber', 'mobile', 'email']);
const PII_PREFILL = new Set(['applicant.name', 'applicant.idNumber', 'applicant.mobile', 'applicant.email', 'enterprise.legalRepresentative']);
export const PII_CONTEXT = 'cases.applicant';

function mask(type: string, prefill: string | undefined, v: FormValue): FormValue {
  const s = Array.isArray(v) ? v.join('、') : String(v);
  if (type === 'idNumber') return maskCitizenId(s);
  if (type === 'mobile') return maskMobile(s);
  if (prefill === 'applicant.name' || prefill === 'enterprise.legalRepresentative') return maskName(s);
  if (type === 'email') return s.replace(/^(.).*(@.*)$/, '$1***$2');
  return '***';
}

/**
 * Personal data of the applicant is kept out of the plain form values (DOMAIN.md §10.5):
 * the stored values carry masks, the full values go encrypted into `applicant_pii_enc`; an
 * unmasked view decrypts them and is audited.
 */
export function splitPersonalData(def: FormDefinition, values: FormValues): { stored: FormValues; pii: FormValues; name: string; idNumber: string; mobile: string } {
  const stored: FormValues = {};
  const pii: FormValues = {};
  let name = '';
  let idNumber = '';
  let mobile = '';
  const byName = fieldsByName(def);
  for (const key in values) {
    const v = values[key]!;
    const f = byName.get(key);
    if (f && (PII_TYPES.has(f.type) || (f.prefill && PII_PREFILL.has(f.prefill)))) {
      pii[key] = v;
      stored[key] = mask(f.type, f.prefill, v);
      if (f.prefill === 'applicant.name' && !name) name = String(v);
      if ((f.type === 'idNumber' || f.prefill === 'applicant.idNumber') && !idNumber) idNumber = String(v);
      if ((f.type === 'mobile' || f.prefill === 'applicant.mobile') && !mobile) mobile = String(v);
    } else {
      stored[key] = v;
    }
  }
  return { stored, pii, name, idNumber, mobile };
}
