/**
 * A labelled ticket set for the classifier, generated from templates per catalogue leaf with
 * realistic variation: several openings, subjects, places, times, complaint verbs and requests per
 * category, shuffled sentence order, filler sentences shared by all categories, and confusers (words
 * of a neighbouring category, e.g. a noisy restaurant is noise, not food safety). Deterministic (seeded
 * PRNG), so the held-out accuracy in the test is reproducible. See docs/appeals.md.
 */

export interface LabelledTicket {
  text: string;
  label: string;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = ['江岸区大智路', '一元路社区', '解放大道1127号附近', '黄浦大街', '大冶市东岳路', '金牛镇老街', '后湖大道', '胜利街', '三阳路地铁站旁', '建设大道', '沿江大道', '新华路', '竹叶山', '二七路'];
const TIMES = ['最近一个月', '从上周开始', '近半年来', '今天上午', '这几天晚上', '春节前后', '连续三天', '每天早上'];
const FILLER = ['希望有关部门尽快处理。', '多次反映无果。', '请相关部门核实。', '给居民生活带来很大不便。', '望尽快答复。', '周边群众意见很大。', '之前打过电话但没有人来。', '请给予解决。'];

/** Per leaf: subjects, problems and requests; a text takes one or two of each. */
const TEMPLATES: Record<string, { subject: string[]; problem: string[]; ask: string[] }> = {
  '0101': {
    subject: ['楼顶', '一楼住户', '小区空地', '临街门面', '邻居'],
    problem: ['私自加盖彩钢房', '违章搭建阳台', '占用绿地建房', '擅自扩建围墙', '在屋顶违法加层', '私搭乱建棚子'],
    ask: ['要求拆除违建', '请查处违法建设', '希望执法部门依法拆除'],
  },
  '0102': {
    subject: ['物业公司', '物业', '小区物业', '业委会', '物业服务中心'],
    problem: ['电梯长期故障不修', '乱收物业费', '公共区域卫生无人打扫', '停车费上涨未公示', '维修基金使用不透明', '门禁坏了没人管'],
    ask: ['要求物业整改', '请督促物业履行职责', '希望更换物业公司'],
  },
  '0103': {
    subject: ['路面', '人行道', '井盖', '路灯', '下水道'],
    problem: ['坑洼不平积水严重', '井盖缺失存在危险', '路灯不亮晚上很黑', '下水道堵塞污水外溢', '人行道砖块松动', '道路破损多处塌陷'],
    ask: ['请尽快维修', '希望修复道路', '请市政部门处理'],
  },
  '0104': {
    subject: ['自来水', '家里', '整栋楼', '燃气', '小区供电'],
    problem: ['突然停水没有通知', '水压太低用不了', '经常停电', '天然气停气两天', '自来水发黄有异味', '电压不稳烧坏电器'],
    ask: ['请尽快恢复供水', '要求恢复供电', '希望查明停气原因'],
  },
  '0201': {
    subject: ['餐馆', '外卖商家', '超市', '早餐店', '小吃摊'],
    problem: ['卖过期食品', '后厨卫生脏乱', '吃完后腹泻呕吐', '食品里有异物', '无证经营熟食', '使用地沟油'],
    ask: ['请食品安全部门检查', '要求查处', '希望依法处罚'],
  },
  '0202': {
    subject: ['商家', '健身房', '培训机构', '网店', '手机店'],
    problem: ['预付卡跑路不退款', '收钱后不发货', '虚假宣传', '拒绝七天无理由退货', '售后不给维修', '以次充好'],
    ask: ['要求退款', '请帮助维权', '希望责令商家赔偿'],
  },
  '0203': {
    subject: ['停车场', '药店', '菜市场', '景区', '加油站'],
    problem: ['乱收费', '明码标价不实', '价格比标价高', '收费标准不公示', '哄抬价格', '多收钱不给发票'],
    ask: ['请查处价格违法', '要求退还多收费用', '希望规范收费'],
  },
  '0301': {
    subject: ['广场舞', '楼下酒吧', '工地', 'KTV', '装修'],
    problem: ['夜间施工噪音很大', '音响声音太吵', '半夜还在施工', '噪声扰民影响睡觉', '凌晨施工噪音', '高音喇叭吵闹'],
    ask: ['请制止噪声', '要求夜间停止施工', '希望管一管噪音'],
  },
  '0302': {
    subject: ['烧烤店', '工厂烟囱', '餐饮店', '露天焚烧', '搅拌站'],
    problem: ['油烟直排熏得开不了窗', '排放黑烟气味刺鼻', '焚烧垃圾烟雾弥漫', '粉尘污染严重', '油烟污染', '废气异味'],
    ask: ['请环保部门查处', '要求安装油烟净化设备', '希望治理污染'],
  },
  '0401': {
    subject: ['车辆', '电动车', '出租车', '货车', '共享单车'],
    problem: ['乱停乱放堵塞消防通道', '占道停车', '闯红灯', '路口拥堵无人疏导', '违停占用人行道', '逆行'],
    ask: ['请交警处理', '要求加强交通管理', '希望增设监控'],
  },
  '0501': {
    subject: ['单位', '公司', '社保卡', '养老保险', '医保'],
    problem: ['不给缴纳社保', '社保断缴', '养老金待遇核算有误', '医保报销办不下来', '社保转移接续困难', '失业金领不到'],
    ask: ['请社保部门核查', '要求补缴社保', '希望落实待遇'],
  },
  '0502': {
    subject: ['老板', '施工队', '包工头', '公司', '工厂'],
    problem: ['拖欠工资三个月', '不发工钱', '欠薪不还', '农民工工资被拖欠', '离职后不结算工资', '克扣工资'],
    ask: ['请劳动监察部门介入', '要求支付工资', '希望帮忙讨薪'],
  },
  '0601': {
    subject: ['医院', '医生', '诊所', '社区卫生服务中心', '急诊科'],
    problem: ['服务态度差', '看病排队时间过长', '乱开检查', '误诊', '收费不合理的检查项目', '挂号难'],
    ask: ['请卫健部门调查', '要求医院整改', '希望改善医疗服务'],
  },
  '0602': {
    subject: ['疫苗', '孩子', '接种点', '老人', '狂犬疫苗'],
    problem: ['预约不上疫苗', '接种点不开放', '接种后出现不良反应', '疫苗缺货', '接种证补办困难', '接种时间不合理'],
    ask: ['请卫健部门协调', '希望增加接种名额', '要求说明情况'],
  },
  '0701': {
    subject: ['燃气瓶', '电动车', '工地脚手架', '仓库', '危化品'],
    problem: ['楼道充电存在火灾隐患', '违规存放易燃物品', '脚手架摇晃随时可能倒塌', '消防通道被堵', '私自储存液化气', '安全隐患严重'],
    ask: ['请应急管理部门检查', '要求消除隐患', '希望排查整治'],
  },
  '0801': {
    subject: ['养老院', '老年人', '社区食堂', '独居老人', '日间照料中心'],
    problem: ['护理不到位', '收费过高', '无人照顾', '助餐点关闭', '高龄津贴没发放', '养老服务补贴申请不了'],
    ask: ['请民政部门核查', '希望提供养老服务', '要求落实补贴'],
  },
  '0802': {
    subject: ['低保', '困难家庭', '残疾人', '临时救助', '特困人员'],
    problem: ['低保申请被拒', '救助金没到账', '低保被取消', '困难补助迟迟不批', '生活困难无人过问', '申请临时救助没人受理'],
    ask: ['请民政部门核实', '希望给予救助', '要求重新审核低保'],
  },
  '0901': {
    subject: ['政务服务中心', '窗口工作人员', '办事大厅', '网上办事平台', '审批科'],
    problem: ['办事来回跑多次', '态度冷漠推诿', '材料要求反复变', '网上申报系统总是报错', '超时不办结', '窗口人员脱岗'],
    ask: ['请整改作风', '希望提高办事效率', '要求一次办好'],
  },
};

/** Confusers: words from another category inserted in a text (labels stay with the main matter). */
const CONFUSERS: Record<string, string[]> = {
  '0201': ['餐馆晚上很吵'],
  '0301': ['楼下餐馆', '工地施工'],
  '0302': ['餐饮店', '工地扬尘'],
  '0102': ['电梯停电'],
  '0104': ['物业通知'],
  '0202': ['价格'],
  '0203': ['退款'],
  '0401': ['电动车充电'],
  '0701': ['电动车乱停'],
  '0501': ['公司拖欠'],
  '0502': ['社保'],
};

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export type Part = 'train' | 'heldOut' | 'all';

/**
 * `perLabel` generated tickets for each catalogue leaf. The held-out part uses problem phrases
 * the training part never contains (every third phrase of a category), so the measured accuracy is
 * about new wordings, not memorised ones. About one in ten texts is vague (no problem phrase), one in
 * four carries a sentence of another category, and 3 % are labelled with a wrong category, as
 * dispatchers' records are.
 */
export function generateLabelledSet(perLabel: number, seed = 12345, part: Part = 'all'): LabelledTicket[] {
  const r = prng(seed);
  const out: LabelledTicket[] = [];
  const labels = Object.keys(TEMPLATES);
  for (const [label, t] of Object.entries(TEMPLATES)) {
    const problems = t.problem.filter((_, i) => part === 'all' || (part === 'heldOut' ? i % 3 === 2 : i % 3 !== 2));
    for (let i = 0; i < perLabel; i++) {
      const vague = r() < 0.1;
      const other = TEMPLATES[pick(r, labels)]!;
      const parts = [
        vague ? `${pick(r, TIMES)}，${pick(r, PLACES)}的${pick(r, t.subject)}有问题。` : `${pick(r, TIMES)}，${pick(r, PLACES)}的${pick(r, t.subject)}${pick(r, problems)}。`,
        r() < 0.4 ? `${pick(r, t.subject)}还${pick(r, problems)}。` : '',
        r() < 0.25 ? `另外${pick(r, CONFUSERS[label] ?? other.subject)}${pick(r, other.problem)}。` : '',
        `${pick(r, t.ask)}。`,
        r() < 0.7 ? pick(r, FILLER) : '',
      ].filter(Boolean);
      // Callers do not tell their story in one order.
      if (parts.length > 2 && r() < 0.4) [parts[1], parts[parts.length - 1]] = [parts[parts.length - 1]!, parts[1]!];
      out.push({ text: parts.join(''), label: r() < 0.03 ? pick(r, labels) : label });
    }
  }
  return out;
}

/** A plausible title for a generated text (its first clause). */
export function titleOf(text: string): string {
  const first = text.split(/[。，]/).find((s) => s.length >= 4) ?? text;
  return first.slice(0, 30);
}
