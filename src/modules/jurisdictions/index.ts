/**
 * Public surface of the jurisdictions module (行政区划与组织机构): the GB/T 2260 division
 * tree and the organisations (departments) that belong to it. Other modules import only
 * from this file.
 */
export interface Division {
  code: string;
  name: string;
  /** 1 province, 2 prefecture, 3 county, 4 township, 5 village */
  level: 1 | 2 | 3 | 4 | 5;
  parentCode: string | null;
}

export interface OrganisationRef {
  id: string;
  name: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  uscc: string | null;
  type: string;
  parentId: string | null;
}

export interface JurisdictionService {
  getDivision(code: string): Promise<Division | null>;
  /** Root first, the division itself last. */
  ancestors(code: string): Promise<Division[]>;
  children(code: string): Promise<Division[]>;
  getOrganisation(id: string): Promise<OrganisationRef | null>;
  getOrganisations(ids: string[]): Promise<Map<string, OrganisationRef>>;
}
