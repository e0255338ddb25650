/**
 * Reference data of proactive disclosure (主动公开): the catalog category tree (公开目录,
 * DOMAIN.md §7.1, Art. 20 scope), genres (文种, 党政机关公文处理工作条例 Art. 8 plus the
 * usual normative-document names) and validity (有效性). The category tree lives in the
 * database (configurable; seeded by migration); genres and validity are closed lists.
 */
export interface CategorySeed {
  code: string;
  name: string;
  parent: string | null;
  /** Override of the 20-working-day period with its legal basis (Art. 26: laws or regulations may set another period). */
  deadlineDays?: number;
  legalBasis?: string;
}

export const CATEGORY_SEED: readonly CategorySeed[] = [
  { code: 'jgzn', name: '机构职能', parent: null },
  { code: 'jgzn-ldxx', name: '领导信息', parent: 'jgzn' },
  { code: 'jgzn-nsjg', name: '内设机构', parent: 'jgzn' },
  { code: 'fgwj', name: '法规文件', parent: null },
  { code: 'fgwj-gfxwj', name: '规范性文件', parent: 'fgwj' },
  { code: 'fgwj-qtwj', name: '其他文件', parent: 'fgwj' },
  { code: 'zcjd', name: '政策解读', parent: null },
  { code: 'ghxx', name: '规划信息', parent: null },
  { code: 'czxx', name: '财政信息', parent: null },
  { code: 'czxx-ys', name: '预算', parent: 'czxx' },
  { code: 'czxx-js', name: '决算', parent: 'czxx' },
  { code: 'czxx-sfxm', name: '行政事业性收费', parent: 'czxx' },
  { code: 'zfcg', name: '政府采购', parent: null },
  { code: 'rsxx', name: '人事信息', parent: null },
  { code: 'rsxx-gwyzl', name: '公务员招录', parent: 'rsxx' },
  { code: 'xzxk', name: '行政许可', parent: null },
  { code: 'xzcf', name: '行政处罚', parent: null },
  { code: 'tjxx', name: '统计信息', parent: null },
  { code: 'yjgl', name: '应急管理', parent: null },
  { code: 'jyta', name: '建议提案办理', parent: null },
  { code: 'zdxm', name: '重大建设项目', parent: null },
  { code: 'msxx', name: '民生保障', parent: null },
  { code: 'jdjc', name: '监督检查', parent: null },
  { code: 'qt', name: '其他', parent: null },
];

/** 政策解读 category: a publication in it may be linked to the policies it interprets. */
export const INTERPRETATION_CATEGORY = 'zcjd';

export const GENRES = ['决定', '命令', '公报', '公告', '通告', '意见', '通知', '通报', '报告', '批复', '函', '纪要', '办法', '规定', '规划', '方案', '解读', '其他'] as const;
export type Genre = (typeof GENRES)[number];

export const VALIDITIES = ['valid', 'invalid', 'repealed'] as const;
export type Validity = (typeof VALIDITIES)[number];
export const VALIDITY_LABEL: Record<Validity, string> = { valid: '有效', invalid: '失效', repealed: '废止' };

export const THEMES = ['综合政务', '国民经济管理', '财政、金融、审计', '国土资源、能源', '农业、林业、水利', '工业、交通', '商贸、海关、旅游', '市场监管、安全生产监管', '城乡建设、环境保护', '科技、教育', '文化、广电、新闻出版', '卫生、体育', '人口与计划生育、妇女儿童工作', '劳动、人事、监察', '公安、安全、司法', '民政、扶贫、救灾', '其他'] as const;
