// Code-table registry (DOMAIN.md §1.3): versioned, never-deleted code tables and the seed tables
// the foundation needs now. Persistence lives elsewhere; this file is the in-memory model and
// the seed definitions (`seedCodeTables`).

export type ReliabilityTag = 'law/standard' | 'practice' | 'unverified';

export interface CodeEntry {
  readonly code: string;
  /** Chinese label shown in the UI. */
  readonly label: string;
  /** English gloss as DOMAIN.md words it. */
  readonly labelEn?: string;
  readonly parentCode?: string;
  /** Civil date `YYYY-MM-DD`, first day the code is valid (inclusive). */
  readonly validFrom: string;
  /**
   * Civil date `YYYY-MM-DD`, first day the code is no longer valid (exclusive), so a successor's
   * `validFrom` equals its predecessor's `validTo`. Codes are closed, never deleted (§1.3).
   */
  readonly validTo?: string;
  readonly replacedBy?: string;
  /** Set when an entry's reliability differs from its table's. */
  readonly tag?: ReliabilityTag;
  readonly note?: string;
  /** Extra typed-by-convention data, e.g. `{ kind: 'legal' }` for TIME_UNIT. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface CodeTableDefinition {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly tag: ReliabilityTag;
  readonly version: string;
  readonly hierarchical: boolean;
  /** Separator of multi-valued fields, `^` in exchange data (§1.3) [practice]. */
  readonly multiValueSeparator?: string;
  readonly entries: readonly CodeEntry[];
}

/** Status of a code on a date: in force, closed, not yet in force, or never in the table. */
export type CodeStatus = 'valid' | 'retired' | 'notYetValid' | 'unknown';

export const MULTI_VALUE_SEPARATOR = '^';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function assertDate(value: string, what: string): void {
  if (!DATE.test(value)) throw new Error(`${what}: '${value}' is not a civil date YYYY-MM-DD`);
}

function inForce(entry: CodeEntry, onDate: string): boolean {
  return entry.validFrom <= onDate && (entry.validTo === undefined || onDate < entry.validTo);
}

/** Joins codes for exchange, e.g. handling forms `['1', '2', '3']` → `1^2^3` (§1.3). */
export function joinMultiValue(codes: readonly string[], separator: string = MULTI_VALUE_SEPARATOR): string {
  for (const code of codes) {
    if (code === '' || code.includes(separator)) throw new Error(`cannot join code '${code}' with '${separator}'`);
  }
  return codes.join(separator);
}

/** Splits an exchanged multi-value, e.g. `1^2^3` → `['1', '2', '3']`; parts are trimmed, empty parts dropped. */
export function splitMultiValue(value: string, separator: string = MULTI_VALUE_SEPARATOR): string[] {
  return value
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * One code table with its history. A code may appear in several entries with non-overlapping
 * validity periods (history is keyed on code + period, never on the code alone, §1.2.4).
 */
export class CodeTable {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly tag: ReliabilityTag;
  readonly version: string;
  readonly hierarchical: boolean;
  readonly multiValueSeparator: string | undefined;
  readonly #byCode = new Map<string, CodeEntry[]>();
  readonly #entries: readonly CodeEntry[];

  constructor(definition: CodeTableDefinition) {
    this.id = definition.id;
    this.name = definition.name;
    this.source = definition.source;
    this.tag = definition.tag;
    this.version = definition.version;
    this.hierarchical = definition.hierarchical;
    this.multiValueSeparator = definition.multiValueSeparator;
    this.#entries = Object.freeze(definition.entries.map((e) => Object.freeze({ ...e })));

    for (const entry of this.#entries) {
      const where = `code table ${this.id}, code '${entry.code}'`;
      if (entry.code.trim() === '' || entry.code !== entry.code.trim()) throw new Error(`${where}: empty or padded code`);
      if (this.multiValueSeparator !== undefined && entry.code.includes(this.multiValueSeparator)) {
        throw new Error(`${where}: contains the multi-value separator`);
      }
      assertDate(entry.validFrom, `${where}, validFrom`);
      if (entry.validTo !== undefined) {
        assertDate(entry.validTo, `${where}, validTo`);
        if (entry.validTo <= entry.validFrom) throw new Error(`${where}: validTo must be after validFrom`);
      }
      const list = this.#byCode.get(entry.code) ?? [];
      list.push(entry);
      this.#byCode.set(entry.code, list);
    }
    for (const [code, list] of this.#byCode) {
      list.sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
      for (let i = 1; i < list.length; i++) {
        const previousEnd = list[i - 1]!.validTo;
        if (previousEnd === undefined || previousEnd > list[i]!.validFrom) {
          throw new Error(`code table ${this.id}, code '${code}': overlapping validity periods`);
        }
      }
    }
    for (const entry of this.#entries) {
      if (entry.parentCode !== undefined) {
        if (!this.hierarchical) throw new Error(`code table ${this.id}: parentCode in a flat table`);
        if (!this.#byCode.has(entry.parentCode)) {
          throw new Error(`code table ${this.id}, code '${entry.code}': unknown parent '${entry.parentCode}'`);
        }
      }
      if (entry.replacedBy !== undefined && !this.#byCode.has(entry.replacedBy)) {
        throw new Error(`code table ${this.id}, code '${entry.code}': unknown replacement '${entry.replacedBy}'`);
      }
    }
  }

  /** Every entry, including closed ones. */
  entries(): readonly CodeEntry[] {
    return this.#entries;
  }

  /** Entries in force on a date, e.g. for a picker. */
  entriesOn(onDate: string): CodeEntry[] {
    return this.#entries.filter((e) => inForce(e, onDate));
  }

  /** All entries of one code, oldest first. */
  history(code: string): readonly CodeEntry[] {
    return this.#byCode.get(code) ?? [];
  }

  /** The entry of `code` in force on `onDate` (civil date `YYYY-MM-DD`). */
  lookup(code: string, onDate: string): CodeEntry | undefined {
    return this.#byCode.get(code)?.find((e) => inForce(e, onDate));
  }

  isValid(code: string, onDate: string): boolean {
    return this.lookup(code, onDate) !== undefined;
  }

  status(code: string, onDate: string): CodeStatus {
    const list = this.#byCode.get(code);
    if (!list) return 'unknown';
    if (list.some((e) => inForce(e, onDate))) return 'valid';
    return list.some((e) => e.validFrom <= onDate) ? 'retired' : 'notYetValid';
  }

  /**
   * Label to render a code. With `onDate`, the label in force then; without it, the latest
   * entry's label, so old records still render after a code is closed (§1.3).
   */
  label(code: string, onDate?: string): string | undefined {
    if (onDate !== undefined) return this.lookup(code, onDate)?.label;
    return this.#byCode.get(code)?.at(-1)?.label;
  }

  /** Entries whose parent is `code`; with `onDate`, only those in force then. */
  children(code: string, onDate?: string): CodeEntry[] {
    return this.#entries.filter((e) => e.parentCode === code && (onDate === undefined || inForce(e, onDate)));
  }

  /** Follows `replacedBy` from a closed code to the code in force on `onDate`, if any. */
  successor(code: string, onDate: string): CodeEntry | undefined {
    const seen = new Set<string>();
    let current = code;
    while (!seen.has(current)) {
      seen.add(current);
      const inForceNow = this.lookup(current, onDate);
      if (inForceNow) return inForceNow;
      const next = this.history(current).at(-1)?.replacedBy;
      if (next === undefined) return undefined;
      current = next;
    }
    return undefined;
  }

  /** Joins codes with this table's separator; the table must be multi-valued. */
  join(codes: readonly string[]): string {
    return joinMultiValue(codes, this.#separator());
  }

  /** Splits an exchanged value with this table's separator; the table must be multi-valued. */
  split(value: string): string[] {
    return splitMultiValue(value, this.#separator());
  }

  /** Whether every code of a multi-value is in force on `onDate` (an empty value is not valid). */
  isValidMulti(value: string, onDate: string): boolean {
    const codes = this.split(value);
    return codes.length > 0 && codes.every((c) => this.isValid(c, onDate));
  }

  #separator(): string {
    if (this.multiValueSeparator === undefined) throw new Error(`code table ${this.id} is not multi-valued`);
    return this.multiValueSeparator;
  }
}

export interface CodeMapping {
  readonly fromTable: string;
  readonly toTable: string;
  readonly source: string;
  readonly tag: ReliabilityTag;
  readonly pairs: ReadonlyArray<readonly [from: string, to: string]>;
}

/** Maps a code through a `CodeMapping` (§1.3), e.g. legacy special procedure `A` → A.7 `1`. */
export function mapCode(mapping: CodeMapping, code: string): string | undefined {
  return mapping.pairs.find(([from]) => from === code)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Seed tables. DOMAIN.md gives no start dates for these codes, so seeds are valid from a date
// before any record of the platform; real changes are recorded with their own dates.

export const SEED_VALID_FROM = '1970-01-01';

type SeedEntry = Omit<CodeEntry, 'validFrom'> & { validFrom?: string };

function table(
  meta: Omit<CodeTableDefinition, 'entries' | 'version' | 'hierarchical'> & { version?: string; hierarchical?: boolean },
  entries: readonly SeedEntry[],
): CodeTableDefinition {
  return {
    version: '1',
    hierarchical: false,
    ...meta,
    entries: entries.map((e) => ({ ...e, validFrom: e.validFrom ?? SEED_VALID_FROM })),
  };
}

const seed = (code: string, label: string, labelEn?: string, more: Partial<SeedEntry> = {}): SeedEntry => ({
  code,
  label,
  ...(labelEn !== undefined ? { labelEn } : {}),
  ...more,
});

/** Authority + its categories; a category without a label gets a placeholder (DOMAIN.md gives none). */
function uscc(
  authority: string,
  authorityLabel: string,
  categories: ReadonlyArray<readonly [category: string, label?: string, labelEn?: string]>,
): SeedEntry[] {
  return [
    seed(authority, authorityLabel),
    ...categories.map(([category, label, labelEn]) =>
      seed(authority + category, label ?? `${authorityLabel}类别${category}`, labelEn, {
        parentCode: authority,
        ...(label === undefined ? { note: 'label not given in DOMAIN.md; take it from the official GB 32100 table' } : {}),
      }),
    ),
  ];
}

const DEFINITIONS: readonly CodeTableDefinition[] = [
  table(
    {
      id: 'TIME_UNIT',
      name: '时限单位',
      source: 'DOMAIN.md §1.1.4 (promised-limit units 1–5, legal-limit units G/Z)',
      tag: 'practice',
    },
    [
      seed('1', '工作日', 'working day', { attributes: { kind: 'promised' } }),
      seed('2', '自然日', 'calendar day', { attributes: { kind: 'promised' } }),
      seed('3', '小时', 'hour', { attributes: { kind: 'promised' } }),
      seed('4', '分钟', 'minute', { attributes: { kind: 'promised' } }),
      seed('5', '月', 'month (promised limits only; 1 month = 30 days, §1.1.3)', { attributes: { kind: 'promised' } }),
      seed('G', '工作日（不含法定节假日）', 'working days (statutory holidays excluded)', { attributes: { kind: 'legal' } }),
      seed('Z', '自然日', 'calendar days', { attributes: { kind: 'legal' } }),
    ],
  ),
  table(
    {
      id: 'CERTIFICATE_TYPE',
      name: '证件类型',
      source: 'GA/T 2000.156 / GA/T 517 (DOMAIN.md §9.3)',
      tag: 'unverified',
    },
    [
      seed('111', '居民身份证', 'resident ID card'),
      seed('112', '临时居民身份证', 'temporary ID card'),
      seed('113', '户口簿', 'household register'),
      seed('114', '中国人民解放军军官证', 'PLA officer card'),
      seed('115', '中国人民武装警察部队警官证', 'armed-police officer card'),
      seed('117', '出生医学证明', 'birth certificate'),
      seed('414', '普通护照', 'ordinary passport'),
      seed('511', '台湾居民来往大陆通行证', "Taiwan residents' travel permit"),
      seed('516', '港澳居民来往内地通行证', "Hong Kong/Macao residents' travel permit"),
      seed('554', '外国人居留证', "foreigner's residence permit"),
      seed('990', '其他证件', 'other'),
      seed('001', '统一社会信用代码', 'USCC (organisations)', { attributes: { holder: 'organisation' } }),
      seed('099', '其他机构证件', 'other (organisations)', { attributes: { holder: 'organisation' } }),
    ],
  ),
  table(
    { id: 'GENDER', name: '人的性别', source: 'GB/T 2261.1 (DOMAIN.md §9.3)', tag: 'law/standard' },
    [seed('0', '未知的性别', 'unknown'), seed('1', '男性', 'male'), seed('2', '女性', 'female'), seed('9', '未说明的性别', 'not stated')],
  ),
  table(
    {
      id: 'REAL_NAME_LEVEL',
      name: '实名认证等级',
      source: 'DOMAIN.md §10.2 configurable default; national field values not publicly documented',
      tag: 'unverified',
    },
    [
      seed('L1', '手机号码已验证', 'verified mobile number'),
      seed('L2', '姓名与身份号码经人口库比对', 'name + ID number matched against the population registry'),
      seed('L3', '真人核验（活体人脸比对、CTID 或银行卡四要素）', 'real person (liveness face match, CTID, or bank-card four-factor check)'),
      seed('L4', '现场核验或数字证书（USB Key）', 'in-person check or digital certificate (USB key)'),
    ],
  ),
  table(
    {
      id: 'ORGANISATION_TYPE',
      name: '机构类型',
      source:
        'Zhengwu default: 机关 split by practice; 事业单位 and 群团 from USCC categories 1-2 / 1-3 (DOMAIN.md §1.2.2); codes assigned by Zhengwu',
      tag: 'practice',
    },
    [
      seed('01', '党的机关', 'party organs (party committees and their departments)', { attributes: { usccCategory: '11' } }),
      seed('02', '人大机关', "people's congress organs", { attributes: { usccCategory: '11' } }),
      seed('03', '政府及其部门', 'governments and their departments', { attributes: { usccCategory: '11' } }),
      seed('04', '政协机关', 'CPPCC organs', { attributes: { usccCategory: '11' } }),
      seed('05', '监察机关', 'supervisory organs', { attributes: { usccCategory: '11' } }),
      seed('06', '审判机关', 'courts', { attributes: { usccCategory: '11' } }),
      seed('07', '检察机关', 'procuratorates', { attributes: { usccCategory: '11' } }),
      seed('08', '事业单位', 'public institution', { tag: 'law/standard', attributes: { usccCategory: '12' } }),
      seed('09', '群团组织', 'mass organisation', { tag: 'law/standard', attributes: { usccCategory: '13' } }),
      seed('99', '其他', 'other'),
    ],
  ),
  table(
    {
      id: 'USCC_AUTHORITY_CATEGORY',
      name: '统一社会信用代码登记管理部门和机构类别',
      source: 'GB 32100-2015 with XG1-2016 and later allocations (DOMAIN.md §1.2.2); pair codes = authority + category',
      tag: 'law/standard',
      hierarchical: true,
    },
    [
      ...uscc('1', '机构编制', [
        ['1', '机关', 'organ'],
        ['2', '事业单位', 'public institution'],
        ['3', '中央编办直接管理机构编制的群众团体', 'mass organisation under the central establishment office'],
        ['9', '其他', 'other'],
      ]),
      ...uscc('2', '外交', [['1'], ['9', '其他', 'other']]),
      ...uscc('3', '司法行政', [
        ['1', '律师执业机构', 'law firm'],
        ['2', '公证处', 'notary office'],
        ['3', '基层法律服务所', 'grassroots legal service'],
        ['4', '司法鉴定机构', 'forensic appraisal'],
        ['5', '仲裁委员会', 'arbitration commission'],
        ['9', '其他', 'other'],
      ]),
      ...uscc('4', '文化', [['1'], ['9', '其他', 'other']]),
      ...uscc('5', '民政', [
        ['1', '社会团体', 'social group'],
        ['2', '民办非企业单位', 'private non-enterprise unit'],
        ['3', '基金会', 'foundation'],
        ['9', '其他', 'other'],
      ]),
      ...uscc('6', '旅游', [['1'], ['2'], ['9', '其他', 'other']]),
      ...uscc('7', '宗教', [['1'], ['2'], ['9', '其他', 'other']]),
      ...uscc('8', '工会', [['1'], ['9', '其他', 'other']]),
      ...uscc('9', '工商', [
        ['1', '企业', 'enterprise'],
        ['2', '个体工商户', 'individual business'],
        ['3', '农民专业合作社', "farmers' cooperative"],
      ]),
      ...uscc('A', '中央军委改革和编制办公室', [['1'], ['9', '其他', 'other']]),
      ...uscc('N', '农业', [['1'], ['2'], ['3'], ['9', '其他', 'other']]),
      ...uscc('Y', '其他', [['1']]),
    ],
  ),
  table(
    {
      id: 'DIVISION',
      name: '行政区划代码（湖北种子）',
      source: 'GB/T 2260; Hubei seeds of DOMAIN.md §1.2.4 — the full table comes from the versioned official data',
      tag: 'unverified',
      hierarchical: true,
    },
    [
      seed('420000', '湖北省', 'Hubei'),
      seed('420100', '武汉市', 'Wuhan', { parentCode: '420000' }),
      seed('429004', '仙桃市', 'Xiantao (directly under the province)', { parentCode: '420000' }),
      seed('429005', '潜江市', 'Qianjiang (directly under the province)', { parentCode: '420000' }),
      seed('429006', '天门市', 'Tianmen (directly under the province)', { parentCode: '420000' }),
      seed('429021', '神农架林区', 'Shennongjia Forestry District (directly under the province)', { parentCode: '420000' }),
    ],
  ),
  table(
    {
      id: 'ITEM_TYPE',
      name: '事项类型',
      source: 'GB/T 39046-2020 Annex A.1 (DOMAIN.md §2.2); extension ranges 11–19 and 21+ allocated per jurisdiction',
      tag: 'unverified',
    },
    [
      seed('00', '行政权力事项', 'administrative powers, aggregate'),
      seed('01', '行政许可', 'administrative licensing'),
      seed('02', '行政处罚', 'administrative penalty'),
      seed('03', '行政强制', 'administrative coercion'),
      seed('04', '行政征收', 'administrative levy'),
      seed('05', '行政给付', 'administrative payment'),
      seed('06', '行政检查', 'administrative inspection'),
      seed('07', '行政确认', 'administrative confirmation'),
      seed('08', '行政奖励', 'administrative reward'),
      seed('09', '行政裁决', 'administrative adjudication'),
      seed('10', '其他类别事项', 'other items (in practice "other administrative powers")'),
      seed('20', '公共服务事项', 'public service'),
    ],
  ),
  table(
    { id: 'EXERCISE_LEVEL', name: '行使层级', source: 'GB/T 39046-2020 Annex A.2 (DOMAIN.md §2.2)', tag: 'unverified' },
    [
      seed('1', '国家级', 'national (bureau/administration/commission)'),
      seed('2', '省级', 'provincial (directly subordinate)'),
      seed('3', '市级', 'municipal (subordinate)'),
      seed('4', '县级', 'county'),
      seed('5', '镇（乡、街道）级', 'township (town, sub-district)'),
      seed('6', '村（社区）级', 'village (community)'),
      seed('7', '分级管理', 'tiered management'),
    ],
  ),
  table(
    { id: 'IMPLEMENTER_NATURE', name: '实施主体性质', source: 'GB/T 39046-2020 Annex A.3 (DOMAIN.md §2.2)', tag: 'unverified' },
    [
      seed('1', '法定机关', 'statutory organ'),
      seed('2', '授权组织', 'authorised organisation'),
      seed('3', '受委托组织', 'entrusted organisation'),
      seed('9', '其他', 'other'),
    ],
  ),
  table(
    { id: 'SERVICE_OBJECT', name: '服务对象', source: 'GB/T 39046-2020 Annex A.4 (DOMAIN.md §2.2)', tag: 'unverified' },
    [
      seed('1', '自然人', 'natural person'),
      seed('2', '企业法人', 'enterprise legal person'),
      seed('3', '事业单位法人', 'public-institution legal person'),
      seed('4', '社会组织法人', 'social-organisation legal person'),
      seed('5', '行政机关', 'administrative organ'),
      seed('6', '其他组织', 'other organisation'),
    ],
  ),
  table(
    {
      id: 'HANDLING_FORM',
      name: '办理形式',
      source: 'GB/T 39046-2020 Annex A.5 (DOMAIN.md §2.2); multi-valued, exchanged joined with ^ (§1.3)',
      tag: 'unverified',
      multiValueSeparator: MULTI_VALUE_SEPARATOR,
    },
    [
      seed('1', '窗口办理', 'at a window'),
      seed('2', '网上办理（电脑端）', 'online via computer'),
      seed('3', '网上办理（移动端）', 'online via mobile'),
      seed('4', '快递申请', 'by courier/post'),
      seed('9', '其他', 'other'),
    ],
  ),
  table(
    { id: 'CASE_TYPE', name: '办件类型', source: 'GB/T 39046-2020 Annex A.6 (DOMAIN.md §2.2)', tag: 'unverified' },
    [seed('1', '即办件', 'instant'), seed('2', '承诺件', 'promised'), seed('9', '其他', 'other')],
  ),
  table(
    {
      id: 'SPECIAL_PROCEDURE_TYPE',
      name: '特别程序种类',
      source: 'GB/T 39046-2020 Annex A.7 (DOMAIN.md §2.2)',
      tag: 'unverified',
    },
    [seed('1', '延长审批', 'extended approval'), seed('2', '其他特别程序', 'any other special procedure')],
  ),
  table(
    { id: 'SATISFACTION', name: '满意度', source: 'GB/T 39046-2020 Annex A.8 (DOMAIN.md §2.2)', tag: 'unverified' },
    [
      seed('1', '非常满意', 'very satisfied'),
      seed('2', '满意', 'satisfied'),
      seed('3', '基本满意', 'basically satisfied'),
      seed('4', '不满意', 'dissatisfied'),
      seed('5', '非常不满意', 'very dissatisfied'),
    ],
  ),
  table(
    {
      id: 'SERVICE_SCOPE',
      name: '通办范围',
      source: 'GB/T 39046-2020 values (DOMAIN.md §2.2); numeric codes not given there, assigned by Zhengwu',
      tag: 'unverified',
    },
    [seed('1', '全国通办', 'nationwide'), seed('2', '跨省通办', 'cross-province'), seed('3', '跨市通办', 'cross-city'), seed('4', '跨县通办', 'cross-county')],
  ),
  table(
    {
      id: 'RUNNING_SYSTEM_LEVEL',
      name: '运行系统层级',
      source: 'GB/T 39046-2020 values [law/standard] (DOMAIN.md §2.2); codes not given there, assigned by Zhengwu',
      tag: 'unverified',
    },
    [seed('1', '国家级', 'national'), seed('2', '省级', 'provincial'), seed('3', '市级', 'municipal')],
  ),
  table(
    {
      id: 'APPROVAL_RESULT_TYPE',
      name: '审批结果类型',
      source: 'DOMAIN.md §2.2 (Zhejiang item checks, rule Q2); codes assigned by Zhengwu',
      tag: 'practice',
    },
    [
      seed('1', '审批办结', 'approval closed (result is a 批复/批文)'),
      seed('2', '出证办结', 'certificate issued (result ends in 证/证书)'),
      seed('3', '出文办结', 'document issued (result ends in 文)'),
    ],
  ),
  table(
    {
      id: 'ONLINE_HANDLING_DEPTH',
      name: '网上办理深度',
      source: 'DOMAIN.md §2.2; IV [practice], I–III [unverified]; multi-valued',
      tag: 'unverified',
      multiValueSeparator: MULTI_VALUE_SEPARATOR,
    },
    [
      seed('I', '办事指南网上发布', 'guide published online'),
      seed('II', '表格下载、在线咨询或预约', 'forms download / online consultation or booking'),
      seed('III', '网上申请、在线预审', 'online application with pre-review'),
      seed('IV', '全程网办', 'fully online', { tag: 'practice' }),
    ],
  ),
];

const DEFINITIONS_BY_ID = new Map(DEFINITIONS.map((d) => [d.id, d]));

/** Fresh instances of every seed table, for the database seeder and for tests. */
export function seedCodeTables(): CodeTable[] {
  return DEFINITIONS.map((d) => new CodeTable(d));
}

/** A fresh instance of one seed table by id. */
export function seedCodeTable(id: string): CodeTable {
  const definition = DEFINITIONS_BY_ID.get(id);
  if (!definition) throw new Error(`no seed code table '${id}'`);
  return new CodeTable(definition);
}

/** Seed code mappings (§1.3). */
export function seedCodeMappings(): CodeMapping[] {
  return [
    {
      fromTable: 'SPECIAL_PROCEDURE_TYPE_LEGACY',
      toTable: 'SPECIAL_PROCEDURE_TYPE',
      source: 'DOMAIN.md §1.3 and §2.2 A.7: legacy exchange codes A / B',
      tag: 'practice',
      pairs: [
        ['A', '1'],
        ['B', '2'],
      ],
    },
  ];
}
