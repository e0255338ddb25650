/**
 * The seeded dispatch catalogue (派单目录): a two-level tree of common 12345 matters. Classification
 * is a configurable tree (DOMAIN.md §6.1: the national code tables are unconfirmed), so this is demo
 * data: each leaf names the kind of unit responsible, matched against the seeded organisations of a
 * division by name (first keyword that matches wins; the government office is the fallback).
 */
export interface CatalogueLeaf {
  code: string;
  name: string;
  /** Words of the responsible unit's name, in order of preference. */
  unit: string[];
}

export interface CatalogueBranch {
  code: string;
  name: string;
  leaves: CatalogueLeaf[];
}

export const CATALOGUE: CatalogueBranch[] = [
  {
    code: '01',
    name: '城乡建设',
    leaves: [
      { code: '0101', name: '违法建设', unit: ['城乡建设', '住房和城乡建设', '自然资源', '住房保障'] },
      { code: '0102', name: '物业管理', unit: ['住房保障和房屋', '住房和城乡建设', '城乡建设'] },
      { code: '0103', name: '道路与市政设施', unit: ['城乡建设', '住房和城乡建设', '住房保障'] },
      { code: '0104', name: '供水供电供气', unit: ['城乡建设', '住房和城乡建设', '住房保障'] },
    ],
  },
  {
    code: '02',
    name: '市场监管',
    leaves: [
      { code: '0201', name: '食品安全', unit: ['市场监督'] },
      { code: '0202', name: '消费维权', unit: ['市场监督'] },
      { code: '0203', name: '价格收费', unit: ['市场监督'] },
    ],
  },
  {
    code: '03',
    name: '生态环境',
    leaves: [
      { code: '0301', name: '噪声扰民', unit: ['生态环境', '公安'] },
      { code: '0302', name: '大气与油烟污染', unit: ['生态环境', '城乡建设', '住房和城乡建设'] },
    ],
  },
  { code: '04', name: '交通出行', leaves: [{ code: '0401', name: '交通秩序与违停', unit: ['公安'] }] },
  {
    code: '05',
    name: '劳动社保',
    leaves: [
      { code: '0501', name: '社保缴纳与待遇', unit: ['人力资源'] },
      { code: '0502', name: '拖欠工资', unit: ['人力资源'] },
    ],
  },
  {
    code: '06',
    name: '医疗卫生',
    leaves: [
      { code: '0601', name: '医疗服务', unit: ['卫生健康'] },
      { code: '0602', name: '疫苗接种', unit: ['卫生健康'] },
    ],
  },
  { code: '07', name: '安全生产', leaves: [{ code: '0701', name: '安全隐患', unit: ['应急管理'] }] },
  {
    code: '08',
    name: '民政服务',
    leaves: [
      { code: '0801', name: '养老服务', unit: ['民政'] },
      { code: '0802', name: '低保与救助', unit: ['民政'] },
    ],
  },
  { code: '09', name: '政务服务', leaves: [{ code: '0901', name: '办事效率与作风', unit: ['政务服务'] }] },
];

export const LEAVES: CatalogueLeaf[] = CATALOGUE.flatMap((b) => b.leaves);

/** The seeded jurisdictions the demo catalogue is mapped for (their 12345 office = 政务服务和大数据管理局). */
export const SEEDED_DIVISIONS = ['420100', '420102', '420281'];
