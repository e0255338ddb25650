/**
 * GeoReport v2 wire formats: JSON arrays and the XML the spec shows (a plural root with one
 * element per item, nested lists as <attributes><attribute>…, <values><value>…), errors as
 * [{code, description}] / <errors><error>….
 */
export type Format = 'json' | 'xml';
type Scalar = string | number | boolean | null | undefined;
export type XmlValue = Scalar | XmlObject | XmlObject[];
export interface XmlObject {
  [key: string]: XmlValue;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

/** Singular element names for the spec's lists. */
const ITEM: Record<string, string> = { attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format' };

function element(name: string, value: XmlValue | Scalar[]): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM[name] ?? 'item';
    return `<${name}>${(value as (XmlObject | Scalar)[]).map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  return `<${name}>${esc(String(value))}</${name}>`;
}

export function toXml(root: string, item: string | null, body: XmlObject | XmlObject[]): string {
  const inner = Array.isArray(body) ? body.map((b) => element(item ?? 'item', b)).join('') : Object.entries(body).map(([k, v]) => element(k, v)).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${inner}</${root}>`;
}

export const XML_ROOT = {
  services: ['services', 'service'],
  definition: ['service_definition', null],
  requests: ['service_requests', 'request'],
  tokens: ['service_requests', 'request'],
  errors: ['errors', 'error'],
} as const;

export interface Open311Error {
  code: number;
  description: string;
}

/** An ISO 8601 instant with the +08:00 offset (Asia/Shanghai has no DST). */
export function isoShanghai(d: Date | null): string | null {
  if (!d) return null;
  const local = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}
