import type { Division, DivisionMatch, Organisation, PageOf } from './types.ts';

/** JSON shapes of the public API (stable field names, ISO timestamps). */
export function presentDivision(d: Division) {
  return { code: d.code, name: d.name, level: d.level, parentCode: d.parentCode, prefix: d.prefix, validFrom: d.validFrom, validTo: d.validTo };
}

export function presentDivisionMatch(d: DivisionMatch) {
  return { ...presentDivision(d), path: d.path };
}

export function presentOrganisation(o: Organisation) {
  return {
    id: o.id,
    name: o.name,
    shortName: o.shortName,
    jurisdiction: { code: o.jurisdictionCode, name: o.jurisdictionName },
    uscc: o.uscc,
    usccStatus: o.usccStatus,
    usccNote: o.usccNote,
    type: { code: o.type, label: o.typeLabel },
    parent: o.parentId ? { id: o.parentId, name: o.parentName } : null,
    sortOrder: o.sortOrder,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    version: o.version,
  };
}

export function presentOrganisationPage(p: PageOf<Organisation>) {
  return { items: p.items.map(presentOrganisation), total: p.total, page: p.page, pageSize: p.pageSize };
}

const nullableString = { type: ['string', 'null'] } as const;

export const divisionSchema = {
  type: 'object',
  properties: {
    code: { type: 'string', description: 'GB/T 2260 代码（6位）、乡级9位或村级12位' },
    name: { type: 'string' },
    level: { type: 'integer', minimum: 1, maximum: 5, description: '1 省级 2 地级 3 县级 4 乡级 5 村级' },
    parentCode: nullableString,
    prefix: { type: 'string', description: '下级区划代码共同的前缀' },
    validFrom: nullableString,
    validTo: nullableString,
  },
  required: ['code', 'name', 'level', 'parentCode', 'prefix', 'validFrom', 'validTo'],
} as const;

export const organisationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    shortName: nullableString,
    jurisdiction: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } },
    uscc: nullableString,
    usccStatus: { type: ['string', 'null'], enum: ['valid', 'invalidCheck', 'unknownCategory', 'invalidDivision', 'invalidOrganizationCode', null] },
    usccNote: nullableString,
    type: { type: 'object', properties: { code: { type: 'string' }, label: { type: 'string' } } },
    parent: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: nullableString } },
    sortOrder: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
} as const;
