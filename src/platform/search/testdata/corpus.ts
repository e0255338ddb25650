import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IndexedDocument } from '../contract.ts';
import { segmenter } from '../segmenter.ts';

/**
 * Realistic government text for the relevance test and the benchmark (docs/search.md,
 * "Test corpus"):
 * - the 2012 Hubei e-government plan (plan-2012.txt, a public document) split into its sections;
 * - service items (办事事项) with their guides, written from a table of real item names,
 *   departments, materials and time limits;
 * - notices and Q&A about those items in the province's cities and counties;
 * - for the benchmark, any number of further documents from a word-bigram (Markov) model
 *   trained on the plan text, with the item, department and place vocabulary mixed in.
 * Everything is deterministic (seeded), so runs are comparable.
 */

export const PLAN_TEXT = fs.readFileSync(fileURLToPath(new URL('./plan-2012.txt', import.meta.url)), 'utf8');

export const PLACES: { code: string; name: string }[] = [
  { code: '420000', name: '湖北省' },
  { code: '420100', name: '武汉市' },
  { code: '420102', name: '江岸区' },
  { code: '420103', name: '江汉区' },
  { code: '420106', name: '武昌区' },
  { code: '420111', name: '洪山区' },
  { code: '420200', name: '黄石市' },
  { code: '420281', name: '大冶市' },
  { code: '420300', name: '十堰市' },
  { code: '420500', name: '宜昌市' },
  { code: '420600', name: '襄阳市' },
  { code: '420700', name: '鄂州市' },
  { code: '420800', name: '荆门市' },
  { code: '420900', name: '孝感市' },
  { code: '421000', name: '荆州市' },
  { code: '421100', name: '黄冈市' },
  { code: '421200', name: '咸宁市' },
  { code: '421300', name: '随州市' },
  { code: '422800', name: '恩施州' },
  { code: '429004', name: '仙桃市' },
];

/** Service items: name, department, what people type for it, materials, legal/promised days. */
export const ITEMS: { id: string; name: string; dept: string; asks: string[]; materials: string; days: [number, number] }[] = [
  { id: 'yyzz', name: '营业执照办理', dept: '市场监督管理局', asks: ['开公司怎么办营业执照', 'yyzz'], materials: '公司登记申请书、公司章程、股东主体资格证明、法定代表人居民身份证、住所使用证明', days: [15, 3] },
  { id: 'gtgsh', name: '个体工商户设立登记', dept: '市场监督管理局', asks: ['个体户注册', '开个体店要什么手续'], materials: '个体工商户登记申请书、经营者居民身份证、经营场所证明', days: [15, 1] },
  { id: 'spjy', name: '食品经营许可证核发', dept: '市场监督管理局', asks: ['开饭店要办什么证', '食品经营许可'], materials: '食品经营许可申请书、营业执照、食品安全管理制度、经营场所平面图', days: [20, 10] },
  { id: 'spsc', name: '食品生产许可证核发', dept: '市场监督管理局', asks: ['食品厂生产许可'], materials: '食品生产许可申请书、生产设备布局图、食品生产工艺流程图', days: [20, 15] },
  { id: 'ggcs', name: '公共场所卫生许可证核发', dept: '卫生健康委员会', asks: ['理发店卫生许可证', '公共场所卫生许可'], materials: '卫生许可申请书、营业执照、卫生管理制度、从业人员健康合格证明', days: [20, 10] },
  { id: 'sbk', name: '社会保障卡补领', dept: '人力资源和社会保障局', asks: ['社保卡丢了怎么补办', '社保卡补办'], materials: '居民身份证、社会保障卡挂失证明', days: [10, 1] },
  { id: 'sbksl', name: '社会保障卡首次申领', dept: '人力资源和社会保障局', asks: ['第一次办社保卡', '社保卡申领'], materials: '居民身份证、近期免冠照片', days: [20, 5] },
  { id: 'ylbx', name: '城乡居民基本养老保险参保登记', dept: '人力资源和社会保障局', asks: ['农村养老保险怎么交', '养老金参保'], materials: '居民身份证、户口簿', days: [15, 1] },
  { id: 'tx', name: '职工退休申请', dept: '人力资源和社会保障局', asks: ['办理退休手续', '退休金申领'], materials: '退休申请表、居民身份证、人事档案', days: [20, 10] },
  { id: 'sybx', name: '失业保险金申领', dept: '人力资源和社会保障局', asks: ['失业金怎么领', '失业保险金'], materials: '居民身份证、解除劳动合同证明', days: [10, 3] },
  { id: 'gjjtq', name: '住房公积金提取', dept: '住房公积金管理中心', asks: ['公积金怎么取出来', '公积金提取'], materials: '居民身份证、购房合同或租房合同、银行卡', days: [5, 1] },
  { id: 'gjjdk', name: '住房公积金个人贷款', dept: '住房公积金管理中心', asks: ['公积金贷款买房', '公积金贷款'], materials: '借款申请书、购房合同、收入证明、居民身份证', days: [15, 10] },
  { id: 'bdcdj', name: '不动产登记', dept: '自然资源和规划局', asks: ['房产证怎么办', 'bdcdj', '买房过户'], materials: '不动产登记申请书、居民身份证、不动产权属来源证明、完税凭证', days: [30, 5] },
  { id: 'bdccx', name: '不动产登记资料查询', dept: '自然资源和规划局', asks: ['查房产信息', '房产查询'], materials: '查询申请书、居民身份证', days: [5, 1] },
  { id: 'hjqy', name: '户籍迁移', dept: '公安局', asks: ['户口迁移怎么办', '迁户口'], materials: '户口簿、居民身份证、准予迁入证明', days: [15, 5] },
  { id: 'sfz', name: '居民身份证换领', dept: '公安局', asks: ['身份证过期了怎么换', '换身份证'], materials: '户口簿、原居民身份证', days: [60, 20] },
  { id: 'sfzbl', name: '居民身份证挂失补领', dept: '公安局', asks: ['身份证丢了', '补办身份证'], materials: '户口簿、挂失申请', days: [60, 20] },
  { id: 'jsz', name: '机动车驾驶证换证', dept: '公安局交通管理局', asks: ['驾照到期换证', '驾驶证换证'], materials: '机动车驾驶证、居民身份证、身体条件证明', days: [5, 1] },
  { id: 'jhdj', name: '结婚登记', dept: '民政局', asks: ['领结婚证需要什么', '结婚证'], materials: '双方户口簿、居民身份证、近期合影照片', days: [1, 1] },
  { id: 'lhdj', name: '离婚登记', dept: '民政局', asks: ['协议离婚流程', '离婚证'], materials: '双方户口簿、居民身份证、结婚证、离婚协议书', days: [30, 30] },
  { id: 'db', name: '最低生活保障审批', dept: '民政局', asks: ['怎么申请低保', '低保申请'], materials: '低保申请书、家庭成员居民身份证、户口簿、收入证明', days: [30, 20] },
  { id: 'cjrz', name: '残疾人证核发', dept: '残疾人联合会', asks: ['办残疾证', '残疾人证'], materials: '居民身份证、户口簿、残疾评定表、照片', days: [20, 10] },
  { id: 'csyx', name: '出生医学证明签发', dept: '卫生健康委员会', asks: ['出生证明怎么开', '出生证'], materials: '父母居民身份证、分娩记录', days: [5, 1] },
  { id: 'yb', name: '城乡居民医疗保险参保登记', dept: '医疗保障局', asks: ['医保怎么交', '居民医保参保'], materials: '居民身份证、户口簿', days: [10, 1] },
  { id: 'ybyd', name: '异地就医备案', dept: '医疗保障局', asks: ['外地看病医保报销', '异地就医'], materials: '异地就医备案表、居民身份证、社会保障卡', days: [5, 1] },
  { id: 'jzxk', name: '建筑工程施工许可证核发', dept: '住房和城乡建设局', asks: ['施工许可证', '开工需要什么许可'], materials: '施工许可申请表、建设工程规划许可证、施工合同、安全施工措施', days: [15, 7] },
  { id: 'ghxk', name: '建设工程规划许可证核发', dept: '自然资源和规划局', asks: ['规划许可证办理'], materials: '申请表、建设工程设计方案、土地权属证明', days: [20, 10] },
  { id: 'pwxk', name: '排污许可证核发', dept: '生态环境局', asks: ['企业排污许可', '排污证'], materials: '排污许可证申请表、环境影响评价文件批复、监测方案', days: [20, 15] },
  { id: 'qsxk', name: '取水许可审批', dept: '水利和湖泊局', asks: ['取水许可'], materials: '取水许可申请书、水资源论证报告', days: [45, 20] },
  { id: 'ypjy', name: '药品经营许可证核发', dept: '药品监督管理局', asks: ['开药店需要什么证', '药店许可证'], materials: '药品经营许可申请表、营业执照、执业药师资格证书、经营场所证明', days: [30, 15] },
  { id: 'yczm', name: '烟草专卖零售许可证核发', dept: '烟草专卖局', asks: ['卖烟要办什么证', '烟草证'], materials: '烟草专卖零售许可证申请表、营业执照、经营场所证明', days: [20, 10] },
  { id: 'dlys', name: '道路运输经营许可', dept: '交通运输局', asks: ['货运资质办理', '道路运输许可证'], materials: '道路运输经营申请表、车辆行驶证、驾驶员从业资格证', days: [20, 10] },
  { id: 'nsdj', name: '纳税人办税信息确认', dept: '税务局', asks: ['新办企业报税', '税务登记'], materials: '营业执照、法定代表人居民身份证、财务负责人信息', days: [1, 1] },
  { id: 'fp', name: '发票领用', dept: '税务局', asks: ['怎么领发票', '申领发票'], materials: '发票领用申请、经办人居民身份证', days: [1, 1] },
  { id: 'rlzy', name: '人力资源服务许可', dept: '人力资源和社会保障局', asks: ['开职业中介', '人力资源服务许可证'], materials: '人力资源服务许可申请书、营业执照、从业人员资格证明', days: [20, 10] },
  { id: 'jzz', name: '居住证办理', dept: '公安局', asks: ['外地人办居住证', '居住证'], materials: '居民身份证、居住证明、照片', days: [15, 5] },
  { id: 'ldsy', name: '劳动能力鉴定', dept: '人力资源和社会保障局', asks: ['工伤鉴定', '劳动能力鉴定申请'], materials: '劳动能力鉴定申请表、工伤认定决定书、病历资料', days: [60, 40] },
  { id: 'gsrd', name: '工伤认定', dept: '人力资源和社会保障局', asks: ['上班受伤怎么认定工伤', '工伤认定申请'], materials: '工伤认定申请表、劳动关系证明、医疗诊断证明', days: [60, 30] },
];

const ACTIONS = ['网上办理', '窗口调整', '延时服务', '全程网办', '跨省通办', '告知承诺制试点', '办理时限压缩', '材料精简'];

export interface LabelledQuery {
  query: string;
  /** document key → grade (3 = the answer, 2 = directly about it, 1 = related). */
  relevant: Record<string, number>;
}

/** mulberry32: a small deterministic random generator. */
export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

/** The plan split into its numbered sections (title = heading, body = the paragraphs under it). */
export function planSections(): { title: string; body: string }[] {
  const lines = PLAN_TEXT.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const heading = /^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]\s*|\d+[.．])/u;
  const sections: { title: string; body: string[] }[] = [];
  for (const line of lines) {
    const m = heading.exec(line);
    if (m) {
      const rest = line.slice(m[0].length).trim();
      // a short heading line, or the heading sentence of a numbered paragraph
      const cut = rest.search(/[。]/u);
      const title = (cut > 0 && cut < 40 ? rest.slice(0, cut) : rest.slice(0, 40)).replace(/[。,，]$/u, '');
      sections.push({ title, body: cut > 0 && cut < rest.length - 1 ? [rest.slice(cut + 1)] : [] });
    } else if (sections.length > 0) (sections[sections.length - 1] as { body: string[] }).body.push(line);
  }
  return sections.filter((s) => s.body.join('').length > 30).map((s) => ({ title: `湖北省电子政务“十二五”发展规划：${s.title}`, body: s.body.join('\n') }));
}

function itemGuide(item: (typeof ITEMS)[number]): string {
  return `${item.name}办事指南。实施机关：各级${item.dept}。服务对象：自然人、法人。申请材料：${item.materials}。法定办结时限：${item.days[0]}个工作日；承诺办结时限：${item.days[1]}个工作日。办理地点：各级政务服务中心${item.dept}窗口，也可以在湖北政务服务网“一网通办”全程网上办理，结果可以邮寄送达。收费标准：不收费。`;
}

/** The relevance corpus (about 300 documents) and its labelled queries (≥ 50). */
export function relevanceCorpus(): { docs: IndexedDocument[]; queries: LabelledQuery[] } {
  const r = rng(20260404);
  const docs: IndexedDocument[] = [];
  const at = (i: number) => new Date(Date.UTC(2023 + (i % 3), i % 12, 1 + (i % 27), 2));
  const province = PLACES[0] as { code: string; name: string };
  const itemNotices = new Map<string, string[]>();
  const itemQa = new Map<string, string>();
  ITEMS.forEach((item, i) => {
    docs.push({ key: `service-item:${item.id}`, kind: 'service-item', title: item.name, body: itemGuide(item), url: `/services/${item.id}`, publishedAt: null, divisionCode: province.code, organisationId: `org-${item.dept}`, organisationName: `湖北省${item.dept}`, keywords: [item.id] });
    const qaKey = `qa:${item.id}`;
    docs.push({ key: qaKey, kind: 'qa', title: item.asks[0]?.match(/^[a-z]+$/u) ? `${item.name}怎么办理？` : `${item.asks[0] ?? item.name}？`, body: `答：您可以申请“${item.name}”。需要准备${item.materials}，到政务服务中心${item.dept}窗口或者在网上办理，一般${item.days[1]}个工作日办结。`, url: `/appeals/kb/${item.id}`, publishedAt: at(i), divisionCode: province.code, organisationId: 'org-12345', organisationName: '湖北省12345政务服务便民热线', category: 'qa' });
    itemQa.set(item.id, qaKey);
    const keys: string[] = [];
    for (let k = 0; k < 3; k++) {
      const place = pick(r, PLACES.slice(1));
      const action = pick(r, ACTIONS);
      const key = `notice:${item.id}-${k}`;
      keys.push(key);
      docs.push({ key, kind: 'notice', title: `关于${place.name}${item.name}${action}的通知`, body: `为进一步优化营商环境，推进政务服务标准化、规范化、便利化，自${2024 + k}年${1 + k * 3}月起，${place.name}${item.dept}${item.name}实行${action}。申请人可以登录湖北政务服务网或到${place.name}政务服务中心办理，所需材料：${item.materials}。`, url: `/notices/${item.id}-${k}`, publishedAt: at(i * 3 + k), divisionCode: place.code, organisationId: `org-${place.code}-${item.dept}`, organisationName: `${place.name}${item.dept}`, genre: '通知', validity: 'valid' });
    }
    itemNotices.set(item.id, keys);
  });
  const sections = planSections();
  sections.forEach((s, i) => docs.push({ key: `publication:plan-${i}`, kind: 'publication', title: s.title, body: s.body, url: `/disclosure/plan-2012#s${i}`, publishedAt: new Date('2012-04-15T02:00:00Z'), divisionCode: province.code, organisationId: 'org-gov', organisationName: '湖北省人民政府', category: 'plan', genre: '规划', validity: 'invalid' }));
  // distractors: holiday and hotline notices from the Markov model
  const model = new MarkovText(PLAN_TEXT, 7);
  for (let i = 0; i < 60; i++) {
    const place = pick(r, PLACES);
    docs.push({ key: `notice:misc-${i}`, kind: 'notice', title: `${place.name}${pick(r, ['元旦', '春节', '清明', '劳动节', '端午', '国庆'])}假期政务服务安排`, body: model.paragraph(r, 3), url: `/notices/misc-${i}`, publishedAt: at(i), divisionCode: place.code, organisationId: `org-${place.code}`, organisationName: `${place.name}政务服务和大数据管理局`, genre: '公告' });
  }

  const queries: LabelledQuery[] = [];
  for (const item of ITEMS) {
    const graded = (itemGrade: number, qaGrade: number): Record<string, number> => {
      const rel: Record<string, number> = { [`service-item:${item.id}`]: itemGrade, [itemQa.get(item.id) as string]: qaGrade };
      for (const k of itemNotices.get(item.id) ?? []) rel[k] = 1;
      return rel;
    };
    // the item's own name: the item is the answer; the way people ask: the hotline's answer
    // to that question and the item both are
    queries.push({ query: item.name, relevant: graded(3, 2) });
    const ask = item.asks[0];
    if (ask && !/^[a-z]+$/u.test(ask)) queries.push({ query: ask, relevant: graded(3, 3) });
    for (const other of item.asks.slice(1)) if (/^[a-z]+$/u.test(other)) queries.push({ query: other, relevant: graded(3, 1) });
  }
  // place + item: the local notice is the answer
  for (const item of ITEMS.slice(0, 12)) {
    const key = (itemNotices.get(item.id) ?? [])[0] as string;
    const doc = docs.find((d) => d.key === key) as IndexedDocument;
    const place = PLACES.find((p) => p.code === doc.divisionCode) as { name: string };
    queries.push({ query: `${place.name} ${item.name}`, relevant: { [key]: 3, [`service-item:${item.id}`]: 1 } });
  }
  // the plan's topics
  const planQueries: [string, RegExp][] = [
    ['电子政务外网', /外网/u],
    ['信息资源共享', /信息资源/u],
    ['电子政务绩效评估', /绩效/u],
    ['公务员电子政务培训', /培训|人才/u],
    ['网上审批', /审批/u],
    ['电子政务发展现状', /发展现状/u],
    ['信息安全保障', /安全/u],
    ['电子政务总体目标', /总体目标/u],
  ];
  for (const [query, about] of planQueries) {
    const relevant: Record<string, number> = {};
    sections.forEach((s, i) => {
      if (about.test(s.title)) relevant[`publication:plan-${i}`] = 3;
      else if (about.test(s.body)) relevant[`publication:plan-${i}`] = 1;
    });
    if (Object.keys(relevant).length > 0) queries.push({ query, relevant });
  }
  return { docs, queries };
}

/** nDCG@k of a ranking against graded labels. */
export function ndcgAt(k: number, ranked: string[], relevant: Record<string, number>): number {
  const gain = (g: number) => 2 ** g - 1;
  let dcg = 0;
  ranked.slice(0, k).forEach((key, i) => {
    dcg += gain(relevant[key] ?? 0) / Math.log2(i + 2);
  });
  const ideal = Object.values(relevant)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

// ---------------------------------------------------------------------------------------
// Generated text for the benchmark

/** A word-bigram model trained on jieba-segmented text. */
export class MarkovText {
  private readonly words: string[] = [];
  private readonly next: number[][] = [];
  private readonly starts: number[] = [];

  constructor(text: string, seed = 1) {
    void seed;
    const ids = new Map<string, number>();
    const id = (w: string) => {
      let i = ids.get(w);
      if (i === undefined) {
        i = this.words.length;
        ids.set(w, i);
        this.words.push(w);
        this.next.push([]);
      }
      return i;
    };
    for (const sentence of text.split(/[。！？\n]/u)) {
      const tokens = segmenter()
        .cut(sentence.trim(), true)
        .filter((w) => w.trim() !== '');
      if (tokens.length < 4) continue;
      let prev = -1;
      for (const w of tokens) {
        const cur = id(w);
        if (prev < 0) this.starts.push(cur);
        else (this.next[prev] as number[]).push(cur);
        prev = cur;
      }
      (this.next[prev] as number[]).push(-1);
    }
  }

  sentence(r: () => number, mix: readonly string[] = [], maxWords = 40): string {
    let cur = pick(r, this.starts);
    let out = '';
    for (let i = 0; i < maxWords && cur >= 0; i++) {
      out += this.words[cur] as string;
      if (mix.length > 0 && r() < 0.08) out += pick(r, mix);
      const options = this.next[cur] as number[];
      cur = options.length === 0 ? -1 : pick(r, options);
    }
    return `${out}。`;
  }

  paragraph(r: () => number, sentences: number, mix: readonly string[] = []): string {
    let out = '';
    for (let i = 0; i < sentences; i++) out += this.sentence(r, mix);
    return out;
  }
}

const GENRES = ['通知', '公告', '意见', '办法', '规定', '决定', '批复', '报告'];
const CATEGORIES = ['机构职能', '政策文件', '规划计划', '财政信息', '行政许可', '行政处罚', '人事信息', '应急管理', '统计信息', '政务服务'];
const VALIDITIES = ['valid', 'valid', 'valid', 'invalid', 'repealed'] as const;

/** Document number i of a generated corpus (the same i always gives the same document). */
export function generatedDocument(model: MarkovText, i: number): IndexedDocument {
  const r = rng(0x5eed0000 + i);
  const place = pick(r, PLACES);
  const item = pick(r, ITEMS);
  const vocab = [item.name, item.dept, place.name, ...item.materials.split('、')];
  const kindRoll = r();
  const kind = kindRoll < 0.5 ? 'publication' : kindRoll < 0.75 ? 'notice' : kindRoll < 0.9 ? 'service-item' : 'qa';
  const genre = pick(r, GENRES);
  const title =
    kind === 'service-item'
      ? `${place.name}${item.name}`
      : kind === 'qa'
        ? `${item.asks[0] && !/^[a-z]+$/u.test(item.asks[0]) ? item.asks[0] : item.name}？`
        : kind === 'notice'
          ? `关于${place.name}${item.name}${pick(r, ACTIONS)}的通知`
          : `${place.name}${item.dept}关于${model.sentence(r, [], 6).slice(0, -1)}的${genre}`;
  const body = kind === 'service-item' ? `${itemGuide(item)}${model.paragraph(r, 1, vocab)}` : model.paragraph(r, 2 + Math.floor(r() * 4), vocab);
  const year = 2012 + Math.floor(r() * 15);
  return {
    key: `${kind}:gen-${i}`,
    kind,
    title,
    body,
    url: `/${kind}/gen-${i}`,
    publishedAt: new Date(Date.UTC(year, Math.floor(r() * 12), 1 + Math.floor(r() * 28), Math.floor(r() * 24))),
    divisionCode: place.code,
    organisationId: `org-${place.code}-${item.dept}`,
    organisationName: `${place.name}${item.dept}`,
    category: pick(r, CATEGORIES),
    genre: kind === 'publication' || kind === 'notice' ? genre : null,
    validity: kind === 'publication' ? pick(r, VALIDITIES) : null,
  };
}
