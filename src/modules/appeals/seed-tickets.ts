import crypto from 'node:crypto';
import { sql } from 'kysely';
import { ANONYMOUS, type Actor, type Position, type RequestContext } from '../../platform/auth/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ActionInput } from './commands/act-on-ticket.ts';
import type { AppealInput } from './commands/validate-appeal.ts';
import type { SeedOrganisations } from './seed.ts';
import type { AppealsService } from './service.ts';
import type { Channel, TicketRow } from './ticket.repository.ts';
import type { AppealType, Satisfaction, TicketEvent } from './ticket-machine.ts';

/** How far a demo ticket is driven through the §6.1 / §6.2 machines. */
type Stage =
  | 'new'
  | 'dispatched'
  | 'signed'
  | 'progress'
  | 'replied'
  | 'closed'
  /** Callback unsatisfied → 重办 → second reply → callback closes it. */
  | 'rehandled'
  /** Petitions: 已登记 / 受理（办理中） / 已出具处理意见. */
  | 'received'
  | 'accepted'
  | 'answered';

type Where = 'ja' | 'wh' | 'dy';
const DIVISION: Record<Where, string> = { ja: '420102', wh: '420100', dy: '420281' };

interface DemoTicket {
  /** Stable key: the idempotency key is `seed-appeal-<k>`, so a second run adds nothing. */
  k: string;
  at: Where;
  ch: Channel;
  ty: AppealType;
  cat: string;
  /** Words of the lead unit's name when it is not the catalogue's dispatch rule (province organs, streets). */
  unit?: string;
  title: string;
  desc: string;
  addr?: string;
  who?: string;
  phone?: string;
  pub?: boolean;
  anonymous?: boolean;
  urgency?: 'utility' | 'normal';
  /** Registered this many days ago. */
  ago: number;
  /** Days from registration to the (last) reply. */
  span?: number;
  go: Stage;
  reply?: string;
  sat?: Satisfaction;
  /** The first, unsatisfying reply of a re-handled ticket (`reply` is the second). */
  first?: string;
}

const T: DemoTicket[] = [
  { k: '01', at: 'ja', ch: 'web', ty: 'complaint', cat: '0301', title: '球场街小区楼上夜间装修噪音扰民', desc: '球场街某小区6栋楼上住户连续一周晚上10点以后还在电钻、敲墙，家里老人小孩无法休息，和业主沟通无果，请有关部门管一管。', addr: '江岸区球场街', who: '张女士', phone: '13807110001', pub: true, ago: 170, span: 4, go: 'closed', sat: 'satisfied', reply: '您好，接件后我单位会同球场街道、小区物业于次日上门核实，装修业主确有夜间施工情况。已当场责令其严格遵守每日8:00—12:00、14:00—18:00的施工时间，物业已加强巡查。经回访，夜间施工已停止。' },
  { k: '02', at: 'ja', ch: 'hotline', ty: 'help', cat: '0103', title: '黄浦路小区门口路灯不亮', desc: '黄浦路某小区东门外人行道上三盏路灯已经坏了半个多月，晚上一片漆黑，老人下楼散步很不安全，请尽快维修。', addr: '江岸区黄浦路', who: '李先生', phone: '13807110002', pub: true, ago: 165, span: 2, go: 'closed', sat: 'satisfied', reply: '您好，经现场核查，系路灯电缆老化短路所致。维修班组已于次日更换电缆并恢复照明，三盏路灯现已正常亮灯。感谢您的反映。' },
  { k: '03', at: 'ja', ch: 'web', ty: 'complaint', cat: '0102', title: '物业擅自上调地面停车费', desc: '我们小区物业未召开业主大会、也未公示，就把地面停车费从每月150元涨到260元，不交就不让进小区，业主意见很大，请主管部门查处。', addr: '江岸区一元街道', who: '王先生', phone: '13807110003', pub: true, ago: 160, span: 12, go: 'rehandled', first: '您好，经了解，物业公司称调价已在小区公告栏张贴。请您与业委会沟通协商。', sat: 'basically', reply: '您好，重办期间我局约谈了物业公司，调价未经业主共同决定、程序不合规。物业公司已暂停执行新收费标准，多收费用在下月物业费中抵扣，后续调价须依法召开业主大会表决。' },
  { k: '04', at: 'wh', ch: 'api', ty: 'consultation', cat: '0501', unit: '湖北省人力资源和社会保障厅', title: '灵活就业人员住院医保报销比例咨询', desc: '我是灵活就业人员，以个人身份参加职工医保，想咨询在省内三级医院住院的起付线和报销比例是多少，是否需要先办转诊？', who: '周女士', phone: '13807110004', pub: true, ago: 150, span: 2, go: 'closed', sat: 'satisfied', reply: '您好，以灵活就业身份参加职工医保的，住院待遇与在职职工相同：三级医院起付线按当地规定执行，政策范围内费用按比例报销；在参保地就医无需办理转诊，到异地就医须先办理备案。具体标准可拨打12393医保服务热线查询。' },
  { k: '05', at: 'ja', ch: 'hotline', ty: 'consultation', cat: '0901', unit: '市场监督管理局', title: '个体工商户营业执照办理咨询', desc: '想在二七路开一家小餐馆，请问办个体工商户营业执照需要什么材料，能不能网上办，大概多久能拿到？', addr: '江岸区二七路', who: '刘先生', phone: '13807110005', pub: true, ago: 145, span: 1, go: 'closed', sat: 'basically', reply: '您好，办理个体工商户登记需提供经营者身份证、经营场所使用证明（房产证或租赁合同）；可通过“湖北政务服务网”全程网办，材料齐全的当场或1个工作日内办结。经营餐饮还须另行办理食品经营许可证。' },
  { k: '06', at: 'dy', ch: 'web', ty: 'complaint', cat: '0201', title: '东岳路早餐店后厨卫生状况差', desc: '东岳路农贸市场旁一家早餐店后厨苍蝇很多，碗筷不消毒，员工不戴口罩手套，昨天吃完后肚子不舒服，请市场监管部门检查。', addr: '大冶市东岳路', who: '陈女士', phone: '13807110006', pub: true, ago: 140, span: 5, go: 'closed', sat: 'satisfied', reply: '您好，我局执法人员已对该早餐店进行突击检查，发现餐具消毒不到位、从业人员健康证过期等问题，已责令立即整改并依法立案调查。整改复查合格后方可继续经营。' },
  { k: '07', at: 'ja', ch: 'web', ty: 'report', cat: '0101', anonymous: true, title: '举报一元路某小区顶楼违法搭建', desc: '一元路某小区7栋顶楼住户正在用彩钢板搭建房屋，已经搭了两层，存在安全隐患，影响楼下住户，请依法拆除。', addr: '江岸区一元路', ago: 135, span: 10, go: 'closed', sat: 'satisfied', reply: '经核查，该顶楼搭建未取得规划许可，属违法建设。已下达限期拆除决定书，当事人已于期限内自行拆除。' },
  { k: '08', at: 'wh', ch: 'hotline', ty: 'help', cat: '0104', urgency: 'utility', title: '汉口片区突然停水没有任何通知', desc: '今天早上7点开始汉口台北路一带突然停水，没有看到任何停水通知，家里老人做饭都成问题，请问什么时候能恢复供水？', addr: '武汉市台北路', who: '赵先生', phone: '13807110008', pub: true, ago: 130, span: 1, go: 'closed', sat: 'satisfied', reply: '您好，经联系供水企业，系台北路主管道突发爆管抢修停水。已于当日16时恢复供水，抢修期间安排了送水车。已要求供水企业今后计划停水须提前24小时公告、突发停水及时通过短信告知。' },
  { k: '09', at: 'ja', ch: 'web', ty: 'suggestion', cat: '0103', title: '建议在解放公园路口增设行人过街信号灯', desc: '解放公园路与惠济路交叉口早晚高峰车流量大，行人过街没有信号灯，经常有老人孩子冒险横穿，建议增设行人过街信号灯和安全岛。', addr: '江岸区解放公园路', who: '孙先生', phone: '13807110009', pub: true, ago: 125, span: 12, go: 'closed', sat: 'basically', reply: '您好，感谢您的建议。经会同交管部门实地勘查，该路口已纳入今年交通安全设施完善计划，将于下季度施工增设行人过街信号灯，施工前会在现场公告。' },
  { k: '10', at: 'dy', ch: 'hotline', ty: 'complaint', cat: '0502', title: '金湖工地拖欠农民工工资', desc: '我们12个人在金湖街道一处住宅工地做木工，去年干到年底，包工头至今拖欠工资共计8万多元，一直推说开发商没给钱，请帮忙讨薪。', who: '吴先生', phone: '13807110010', ago: 120, span: 9, go: 'closed', sat: 'satisfied', reply: '您好，我局劳动保障监察大队已约谈施工总承包单位和劳务分包负责人，责令其从农民工工资专户中足额支付。所欠工资8.2万元已于本周全部发放到位。' },
  { k: '11', at: 'ja', ch: 'web', ty: 'praise', cat: '0901', title: '表扬区政务服务中心窗口工作人员热心帮办', desc: '我母亲七十多岁，到区政务服务中心办理老年人优待证，窗口工作人员小刘全程帮她填表、复印材料，还主动延时半小时办完，特此表扬，感谢政府部门的贴心服务。', addr: '江岸区政务服务中心', who: '郑女士', phone: '13807110011', pub: true, ago: 118, span: 1, go: 'closed', sat: 'satisfied', reply: '您好，感谢您对我们窗口服务的肯定！您的表扬已转达本人并在全局通报表扬。我们将继续做好帮办代办服务，让群众办事更便捷。' },
  { k: '12', at: 'wh', ch: 'web', ty: 'complaint', cat: '0302', title: '餐馆油烟直排影响居民开窗', desc: '江汉路附近一家烧烤店的油烟管道直接对着居民楼排放，没有安装净化设备，每天傍晚到凌晨油烟很大，家里窗户都不敢开。', addr: '武汉市江汉路', who: '冯女士', phone: '13807110012', pub: true, ago: 110, span: 10, go: 'closed', sat: 'unsatisfied', reply: '您好，经现场检查，该店已安装油烟净化设备，但排放口位置不符合要求。已责令其30日内改造排烟管道至楼顶高空排放，逾期未改将依法处罚。' },
  { k: '13', at: 'ja', ch: 'hotline', ty: 'consultation', cat: '0802', title: '低保申请条件和办理流程咨询', desc: '我爱人生病长期住院，家里只有我一个人打零工，收入很低，想咨询申请城市低保需要什么条件、到哪里办理？', who: '黄女士', phone: '13807110013', ago: 105, span: 2, go: 'closed', sat: 'satisfied', reply: '您好，家庭人均月收入低于本市低保标准且财产状况符合规定的，可向户籍所在地街道（社区）提出申请，也可通过“鄂汇办”网上申请。需提供身份证、户口簿、收入及病情证明等材料，街道将在规定时限内完成入户调查和审核。' },
  { k: '14', at: 'ja', ch: 'api', ty: 'complaint', cat: '0401', title: '小区门口长期违停堵塞消防通道', desc: '沿江大道某小区南门消防通道每天晚上都停满私家车，消防车根本进不来，物业管不了，请交管部门整治。', addr: '江岸区沿江大道', who: '何先生', phone: '13807110014', pub: true, ago: 100, span: 3, go: 'closed', sat: 'satisfied', reply: '您好，我分局交警大队已连续一周在该路段夜间巡查，对违停车辆依法处理，并协调物业在消防通道施划禁停标线、设置隔离桩，目前通道已保持畅通。' },
  { k: '15', at: 'dy', ch: 'web', ty: 'help', cat: '0801', title: '独居老人申请居家养老上门服务', desc: '我父亲82岁独居在金牛镇，行动不便，我在外地工作照顾不了，想为他申请政府的居家养老上门服务，请问怎么申请？', addr: '大冶市金牛镇', who: '徐先生', phone: '13807110015', pub: true, ago: 95, span: 3, go: 'closed', sat: 'satisfied', reply: '您好，我局已联系金牛镇民政办上门评估，您父亲符合特殊困难老人居家养老服务条件，已纳入服务对象，每月提供助餐、助洁、探访等上门服务。' },
  { k: '16', at: 'wh', ch: 'web', ty: 'complaint', cat: '0202', title: '网购家电七天无理由退货商家拒不处理', desc: '在本市一家电器网店购买的空调未拆封，申请七天无理由退货，商家一直拖着不处理，客服也不回复，请帮忙维权。', who: '马女士', phone: '13807110016', pub: true, ago: 90, span: 6, go: 'closed', sat: 'basically', reply: '您好，经我局调解，商家同意为您办理退货退款，货款已原路退回。已对该商家未履行七天无理由退货义务的行为提出警示。' },
  { k: '17', at: 'ja', ch: 'web', ty: 'complaint', cat: '0301', title: '江滩广场舞音响声音过大', desc: '汉口江滩三阶码头附近每天晚上广场舞音响开得特别大，一直持续到晚上10点多，附近居民楼根本无法休息，多次劝说无效。', addr: '江岸区沿江大道', who: '高先生', phone: '13807110017', pub: true, ago: 85, span: 9, go: 'rehandled', first: '您好，已对广场舞队伍进行劝导。', sat: 'satisfied', reply: '您好，重办期间街道、派出所和江滩管理处联合协调，与广场舞队伍约定音量不超过规定限值、晚上9点前结束，并为其调换至远离居民楼的场地，已安排人员每晚巡查。' },
  { k: '18', at: 'wh', ch: 'hotline', ty: 'consultation', cat: '0602', title: '儿童疫苗接种预约咨询', desc: '孩子刚满8个月，想咨询麻腮风疫苗在哪里接种，需要提前预约吗，外地户口能不能在武汉打？', who: '林女士', phone: '13807110018', ago: 80, span: 1, go: 'closed', sat: 'satisfied', reply: '您好，免疫规划疫苗可在居住地所属社区卫生服务中心预防接种门诊接种，外地户籍儿童凭预防接种证同样可以接种。可通过“武汉疫苗接种”小程序提前预约。' },
  { k: '19', at: 'ja', ch: 'web', ty: 'report', cat: '0201', title: '举报菜市场销售注水肉', desc: '新村菜市场东侧一个猪肉摊位的肉明显注过水，放一会就渗出很多血水，买回去一炒全是水，请执法部门检查。', addr: '江岸区新村菜市场', who: '宋先生', phone: '13807110019', ago: 75, span: 8, go: 'closed', sat: 'satisfied', reply: '您好，我局已对该摊位进行抽检，检出猪肉水分含量超标，已依法没收涉案产品并立案处罚。' },
  { k: '20', at: 'dy', ch: 'hotline', ty: 'help', cat: '0103', title: '金牛镇村道路面塌陷存在安全隐患', desc: '金牛镇通往胡六村的村道上出现一个一米多宽的坑，晚上骑电动车的人很容易摔倒，已经有人受伤了，请尽快修复。', addr: '大冶市金牛镇', who: '杨先生', phone: '13807110020', pub: true, ago: 70, span: 3, go: 'closed', sat: 'satisfied', reply: '您好，我局已于接件当天设置警示标志，次日完成塌陷路面修补，现已恢复通行。' },
  { k: '21', at: 'ja', ch: 'web', ty: 'suggestion', cat: '0801', title: '建议社区老年食堂延长晚餐供应时间', desc: '社区老年食堂午餐很受欢迎，但晚餐只供应到下午5点，很多老人来不及，建议延长到6点半，并增加一些软烂的菜品。', who: '罗先生', phone: '13807110021', pub: true, ago: 65, span: 10, go: 'closed', sat: 'satisfied', reply: '您好，感谢您的建议。经与运营方协商，社区老年食堂晚餐供应时间自下月起延长至18:30，并每天增加两道适合老年人的软烂菜品。' },
  { k: '22', at: 'wh', ch: 'api', ty: 'complaint', cat: '0203', title: '商场地下停车场收费标准未公示', desc: '中山大道一家商场地下停车场入口没有公示收费标准，出场时按每小时10元收费，明显高于周边，怀疑乱收费。', addr: '武汉市中山大道', who: '梁先生', phone: '13807110022', pub: true, ago: 60, span: 7, go: 'closed', sat: 'satisfied', reply: '您好，经查该停车场未按规定明码标价，我局已责令其在入口显著位置公示收费标准，并对其不明码标价行为依法处理。' },
  { k: '23', at: 'ja', ch: 'hotline', ty: 'complaint', cat: '0102', title: '小区电梯频繁故障困人物业不维修', desc: '岳飞街某小区3栋电梯这个月已经坏了四次，上周还困住了一位老人，物业只是简单重启，不彻底维修，请主管部门督促。', addr: '江岸区岳飞街', who: '谢女士', phone: '13807110023', pub: true, ago: 55, span: 8, go: 'closed', sat: 'satisfied', reply: '您好，我局已约谈物业公司并会同特种设备检验机构对电梯全面检测，更换了老化的控制主板和门机系统，检测合格后恢复运行，物业已加密维保频次。' },
  { k: '24', at: 'ja', ch: 'web', ty: 'consultation', cat: '0501', title: '退休人员异地就医备案怎么办理', desc: '我退休后长期跟子女住在深圳，想咨询在武汉参保的退休职工怎么办理异地长期居住备案，备案后在深圳看病能直接结算吗？', who: '韩先生', phone: '13807110024', pub: true, ago: 50, span: 2, go: 'closed', sat: 'satisfied', reply: '您好，可通过“国家医保服务平台”APP或“鄂汇办”线上办理异地长期居住备案，备案后在深圳的定点医疗机构住院和门诊费用可直接结算。' },
  { k: '25', at: 'wh', ch: 'web', ty: 'help', cat: '0701', urgency: 'utility', title: '老旧小区燃气管道锈蚀存在安全隐患', desc: '我们小区是八十年代的老楼，外墙燃气管道锈蚀严重，有的地方已经起皮，担心漏气，请相关部门检查更换。', who: '曹女士', phone: '13807110025', ago: 45, span: 5, go: 'closed', sat: 'satisfied', reply: '您好，我局已协调燃气企业对该小区燃气立管进行安全检测，锈蚀管段已列入老旧燃气管网改造计划并完成更换。' },
  { k: '26', at: 'dy', ch: 'web', ty: 'complaint', cat: '0601', title: '卫生院门诊医生态度生硬', desc: '带孩子去镇卫生院看发烧，门诊医生态度很不耐烦，问病情时被呵斥，希望加强医务人员服务意识培训。', who: '袁女士', phone: '13807110026', pub: true, ago: 40, span: 6, go: 'closed', sat: 'basically', reply: '您好，经调查核实，当事医生接诊时沟通方式不当，卫生院已对其进行批评教育并向您致歉，同时组织全院开展医患沟通培训。' },
  { k: '27', at: 'ja', ch: 'web', ty: 'praise', cat: '0102', title: '表扬区房管局工作人员耐心解答房屋维修资金问题', desc: '前几天到区房管局咨询维修资金使用，工作人员非常耐心，一步一步教我们业委会怎么申请，还主动留了电话，特此表扬。', who: '邓先生', phone: '13807110027', pub: true, ago: 35, span: 1, go: 'closed', sat: 'satisfied', reply: '您好，感谢您的肯定与鼓励！我们会继续做好维修资金使用指导服务。' },
  { k: '28', at: 'wh', ch: 'hotline', ty: 'complaint', cat: '0502', title: '培训机构拖欠员工工资三个月', desc: '我在汉口一家教育培训机构当老师，机构已经拖欠我们十几个员工三个月工资，老板说资金困难一直不给，请劳动部门处理。', who: '彭女士', phone: '13807110028', ago: 30, span: 12, go: 'rehandled', first: '您好，已告知您可申请劳动仲裁。', sat: 'basically', reply: '您好，重办期间劳动保障监察支队已立案调查并向该机构下达限期整改指令书，机构已支付两个月工资，剩余部分承诺月底前付清，我局将跟踪督办。' },
  { k: '29', at: 'ja', ch: 'web', ty: 'complaint', cat: '0301', title: '夜间渣土车轰鸣噪音扰民', desc: '最近一个月每天凌晨1点到4点，大批渣土车从三阳路经过，轰鸣声和鸣笛声很大，附近居民根本睡不着。', addr: '江岸区三阳路', who: '曾先生', phone: '13807110029', pub: true, ago: 8, span: 5, go: 'replied', reply: '您好，经核查，系附近地铁工地夜间出土运输。已协调施工单位调整运输路线避开居民区，并要求渣土车禁止鸣笛、减速慢行。' },
  { k: '30', at: 'wh', ch: 'web', ty: 'consultation', cat: '0501', unit: '湖北省人力资源和社会保障厅', title: '养老保险跨省转移接续咨询', desc: '我之前在广东交了8年养老保险，现在回湖北工作，想咨询养老保险关系怎么转回来，需要本人回广东办理吗？', who: '蒋先生', phone: '13807110030', pub: true, ago: 5, span: 2, go: 'replied', reply: '您好，无需回广东办理。可通过国家社会保险公共服务平台或“掌上12333”APP向现参保地社保经办机构提出转移申请，转出地和转入地经办机构将在45个工作日内完成转移接续手续。' },
  { k: '31', at: 'ja', ch: 'hotline', ty: 'help', cat: '0103', title: '车站路路灯连续一周不亮', desc: '车站路靠近老汉口火车站一段的路灯连续一周不亮，晚上很黑，路面还有施工坑，行人很不安全。', addr: '江岸区车站路', who: '蔡女士', phone: '13807110031', ago: 2, go: 'progress' },
  { k: '32', at: 'dy', ch: 'web', ty: 'complaint', cat: '0202', title: '装修公司收取定金后迟迟不开工', desc: '今年初和一家装修公司签了合同并交了3万元定金，约定两周内开工，现在两个月过去还没开工，要求退定金也不退。', who: '贾先生', phone: '13807110032', ago: 6, go: 'progress' },
  { k: '33', at: 'ja', ch: 'web', ty: 'suggestion', cat: '0401', title: '建议在地铁站口增设共享单车停放点', desc: '地铁2号线循礼门站C出口共享单车乱停乱放，占用盲道和人行道，建议施划专门的停放区域并安排人员定时整理。', addr: '江岸区循礼门', who: '夏女士', phone: '13807110033', ago: 1, go: 'signed' },
  { k: '34', at: 'wh', ch: 'api', ty: 'complaint', cat: '0302', title: '建筑工地扬尘污染严重', desc: '后湖大道一处建筑工地土方裸露未覆盖，刮风天尘土飞扬，附近小区阳台上全是灰，工地也没有洒水降尘。', addr: '武汉市后湖大道', who: '钟先生', phone: '13807110034', ago: 0, go: 'dispatched' },
  { k: '35', at: 'ja', ch: 'web', ty: 'complaint', cat: '0102', title: '小区生活垃圾清运不及时', desc: '我们小区垃圾桶已经三天没人清运，垃圾堆满溢出，天气热臭味很大，还招来很多苍蝇老鼠，物业一直推诿。', who: '汪女士', phone: '13807110035', ago: 0, go: 'new' },
  { k: '36', at: 'dy', ch: 'hotline', ty: 'consultation', cat: '0901', title: '二手房不动产登记需要哪些材料', desc: '准备在大冶市区买一套二手房，想咨询办理不动产转移登记需要买卖双方准备哪些材料，能不能一次办好？', who: '田先生', phone: '13807110036', ago: 0, go: 'new' },
  // Overdue on purpose (督办 candidates): handling / sign-for periods long past.
  { k: '37', at: 'ja', ch: 'web', ty: 'complaint', cat: '0601', title: '社区卫生服务中心取药排队时间过长', desc: '社区卫生服务中心药房只开一个窗口，每天上午取药要排一个多小时，很多老人站不住，建议增加窗口或自助取药机。', who: '石女士', phone: '13807110037', ago: 26, go: 'progress' },
  { k: '38', at: 'wh', ch: 'hotline', ty: 'help', cat: '0104', title: '小区集中供暖暖气不热', desc: '我家在汉口某小区，开始供暖后暖气片一直是温的，室内只有14度左右，联系供热公司说排队等待，至今没人上门。', who: '秦先生', phone: '13807110038', ago: 3, go: 'dispatched' },
  // Petitions (信访, §6.2): registered by the petition bureau, handled by the competent organ.
  { k: '39', at: 'ja', ch: 'hotline', ty: 'petition', cat: '0102', unit: '住房保障和房屋', title: '反映房屋征收补偿标准偏低问题', desc: '我家在江岸区某旧城改造片区，征收补偿评估价格明显低于周边同类房屋市场价，多次向征收部门反映未得到答复，请求依法复核评估结果。', who: '潘先生', phone: '13807110039', ago: 50, span: 25, go: 'answered', reply: '经调查，该片区征收评估由依法选定的评估机构按同期市场价格作出，程序符合《国有土地上房屋征收与补偿条例》规定。对评估结果有异议的，可在收到评估报告之日起10日内申请复核评估。现将有关政策解释如下，请予理解。' },
  { k: '40', at: 'dy', ch: 'hotline', ty: 'petition', cat: '0101', unit: '自然资源', title: '反映土地承包经营权纠纷', desc: '我家在金牛镇的3亩承包地被同村村民占用种植，村委会调解两次未果，请求有关部门依法处理，维护我家的土地承包经营权。', who: '戴先生', phone: '13807110040', ago: 20, go: 'accepted' },
  { k: '41', at: 'wh', ch: 'hotline', ty: 'petition', cat: '0502', unit: '人力资源', title: '反映企业改制后职工安置问题', desc: '原单位改制后，我们一批老职工的社保断缴、安置费未兑现，多次找企业无果，请求政府协调解决。', who: '任先生', phone: '13807110041', ago: 3, go: 'received' },
];

const STAGE_ORDER: Stage[] = ['new', 'dispatched', 'signed', 'progress', 'replied', 'closed'];
const reached = (go: Stage, s: Stage) => STAGE_ORDER.indexOf(go === 'rehandled' ? 'closed' : go) >= STAGE_ORDER.indexOf(s);

type Org = { id: string; name: string; jurisdictionCode: string };

/** A demo staff member acting in the organisation (head: may dispatch, handle, call back, approve). */
function staffOf(org: Org): Actor {
  const h = crypto.createHash('sha256').update(`zhengwu-seed-staff:${org.id}`).digest('hex');
  const position: Position = { id: `seed-${h.slice(0, 12)}`, organisationId: org.id, organisationName: org.name, jurisdictionCode: org.jurisdictionCode, jurisdictionName: '', roles: ['org_head'] };
  return {
    kind: 'staff',
    accountId: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
    displayName: `${org.name}工作人员`,
    realNameLevel: 2,
    positions: [position],
    position,
    totpVerified: true,
  };
}

const ctxOf = (actor: Actor, k: string): RequestContext => ({ actor, requestId: `seed-appeal-${k}`, clientIp: null });

/**
 * About forty demo tickets (a fresh install otherwise shows an empty mailbox, figures and inbox),
 * driven through the real commands: submitted on their channel, dispatched by the division's 12345
 * office (petitions: its petition bureau), signed, handled and replied by the lead unit, called back.
 * Idempotent: each ticket carries a fixed idempotency key and is skipped when it exists.
 */
export async function seedDemoTickets(platform: Platform, service: AppealsService, orgs: SeedOrganisations): Promise<number> {
  const { tickets } = service.deps;
  const centres = await service.centres();
  const rules = await tickets.rules();
  const orgCache = new Map<string, Org[]>();
  const orgsIn = async (code: string) => {
    if (!orgCache.has(code)) orgCache.set(code, await orgs.inDivision(code));
    return orgCache.get(code)!;
  };
  let added = 0;
  for (const d of T) {
    const key = `seed-appeal-${d.k}`;
    if (await tickets.getByIdempotencyKey(key)) continue;
    const division = DIVISION[d.at];
    const petition = d.ty === 'petition';
    const centre = centres.find((c) => c.kind === (petition ? 'petition' : 'hotline') && c.divisionCode === division);
    const centreOrg = centre && (await orgsIn(division)).find((o) => o.id === centre.organisationId);
    if (!centreOrg) continue; // jurisdictions not seeded: no office to run the ticket
    const office = staffOf(centreOrg);
    const input: AppealInput = {
      type: d.ty,
      title: d.title,
      description: d.desc,
      categoryCode: d.cat,
      divisionCode: division,
      address: d.addr ?? '',
      contactName: d.who ?? '',
      contactPhone: d.phone ?? '',
      consentPublish: d.pub === true,
      anonymous: d.anonymous === true,
      urgency: d.urgency ?? 'normal',
      idempotencyKey: key,
      ...(d.ch === 'hotline' ? { callerNumber: d.phone } : {}),
    };
    const submitted = await service.submit(ctxOf(d.ch === 'hotline' ? office : ANONYMOUS, d.k), input, d.ch);
    if (!submitted.ok) throw new Error(`appeals seed ${key}: ${submitted.message} ${JSON.stringify(submitted.fields ?? [])}`);
    let t: TicketRow = submitted.value.ticket;
    added += 1;
    const step = async (actor: Actor, event: TicketEvent, body: ActionInput) => {
      const r = await service.act(ctxOf(actor, d.k), t.id, event, { ...body, version: t.version });
      if (!r.ok) throw new Error(`appeals seed ${key} ${event}: ${r.message} ${JSON.stringify(r.fields ?? [])}`);
      t = r.value;
    };
    // A consultation the knowledge base answers is closed at registration (即时办结): nothing more to do.
    if (t.state !== 'CLOSED' && d.go !== 'new' && d.go !== 'received') {
      const candidates = d.unit ? [...(await orgsIn(division)), ...(await orgsIn('420000'))] : [];
      const lead = (d.unit && candidates.find((o) => o.name.includes(d.unit!))) || (await orgsIn(division)).find((o) => o.id === rules.find((r) => r.categoryCode === d.cat && r.divisionCode === division)?.organisationId);
      if (!lead) throw new Error(`appeals seed ${key}: no lead unit for ${d.cat} in ${division}`);
      const unit = staffOf(lead);
      if (petition) {
        await step(office, 'assign', { leadOrgId: lead.id, categoryCode: d.cat });
        await step(unit, 'accept', {});
        if (d.go === 'answered') await step(unit, 'answer', { note: d.reply, outcome: 'explain' });
      } else {
        await step(office, 'dispatch', { leadOrgId: lead.id, categoryCode: d.cat });
        if (reached(d.go, 'signed')) await step(unit, 'sign', {});
        if (reached(d.go, 'progress')) await step(unit, 'start', {});
        if (reached(d.go, 'replied')) await step(unit, 'reply', { note: d.go === 'rehandled' ? d.first : d.reply });
        if (d.go === 'rehandled') {
          await step(office, 'callback', { satisfaction: 'unsatisfied', rehandle: true, note: '诉求人对答复不满意，要求重办' });
          await step(unit, 'reply', { note: d.reply });
        }
        if (reached(d.go, 'closed')) await step(office, 'callback', { satisfaction: d.sat ?? 'satisfied' });
      }
    }
    await backdate(platform, t.id, d);
  }
  if (added > 0) service.invalidate();
  return added;
}

/**
 * BACKDATING (demo data only). The commands take no clock — they stamp `new Date()` — so a ticket
 * driven now is moved back afterwards, to spread the demo over ~6 months for the monthly figures:
 * registration, dispatch, signing and the running deadlines by `ago` days; the reply, callback and
 * closing by `ago − span` days (so handling took `span` days). One UPDATE of the ticket's times and
 * one of its event times; states, numbers and the audit trail (append-only) are left as the
 * commands wrote them.
 */
async function backdate(platform: Platform, id: string, d: DemoTicket): Promise<void> {
  const early = d.ago;
  const late = Math.max(0, d.ago - (d.span ?? 0));
  const open = !['replied', 'closed', 'rehandled', 'answered'].includes(d.go);
  const stage = open ? early : late;
  await sql`UPDATE appeals.ticket SET
      created_at = created_at - ${early}::int * interval '1 day',
      stage_started_at = stage_started_at - ${stage}::int * interval '1 day',
      due_at = due_at - ${stage}::int * interval '1 day',
      handle_due_at = handle_due_at - ${stage}::int * interval '1 day',
      replied_at = replied_at - ${late}::int * interval '1 day',
      closed_at = closed_at - ${late}::int * interval '1 day',
      updated_at = updated_at - ${late}::int * interval '1 day'
    WHERE id = ${id}`.execute(platform.db);
  await sql`UPDATE appeals.ticket_event SET at = at - (CASE WHEN event IN ('reply', 'callback', 'answer') THEN ${late}::int ELSE ${early}::int END) * interval '1 day'
    WHERE ticket_id = ${id}`.execute(platform.db);
}
