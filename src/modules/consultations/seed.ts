import crypto from 'node:crypto';
import { systemContext } from '../../platform/auth/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Adoption, ConsultationKind, ConsultationRepository, Participation } from './consultation.repository.ts';
import type { Answers } from './questionnaire.ts';
import { parseQuestionnaireText } from './questionnaire.ts';
import { sanitizeDraftHtml } from './rules.ts';
import { feedConsultationToSearch } from './search-document.ts';

export interface SeedOrganisation {
  id: string;
  name: string;
  jurisdictionCode: string;
}

const DAY = 86_400_000;

interface DemoConsultation {
  organisation: string;
  kind: ConsultationKind;
  title: string;
  summary: string;
  body?: string;
  questions?: string;
  /** Days from now: opening and closing. */
  opens: number;
  closes: number;
  participation: Participation;
  publicComments?: boolean;
  liveResults?: boolean;
  comments?: { author: string; body: string; adoption?: Adoption; reason?: string }[];
  responses?: Answers[];
  /** Concluded with this feedback or results note. */
  feedback?: string;
}

const GARBAGE_RULES = `<h2>第一章 总则</h2>
<p><strong>第一条</strong> 为了加强生活垃圾分类管理，改善人居环境，促进资源循环利用，根据《中华人民共和国固体废物污染环境防治法》等法律法规，结合本市实际，制定本办法。</p>
<p><strong>第二条</strong> 本市行政区域内生活垃圾的分类投放、收集、运输、处理及其监督管理活动，适用本办法。</p>
<p><strong>第三条</strong> 本市生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类。</p>
<h2>第二章 分类投放</h2>
<p><strong>第四条</strong> 产生生活垃圾的单位和个人是生活垃圾分类投放的责任主体，应当按照分类标准将生活垃圾分别投放至相应的收集容器。</p>
<p><strong>第五条</strong> 住宅小区实行定时定点投放的，由管理责任人确定投放时间和地点，并在显著位置公示。</p>
<h2>第三章 附则</h2>
<p><strong>第六条</strong> 本办法自公布之日起施行。</p>`;

const DEMO: DemoConsultation[] = [
  {
    organisation: '武汉市城乡建设局',
    kind: 'draft',
    title: '《武汉市生活垃圾分类管理办法（征求意见稿）》',
    summary: '为推进生活垃圾分类工作，市城乡建设局起草了《武汉市生活垃圾分类管理办法（征求意见稿）》，现向社会公开征求意见。欢迎就分类标准、投放时间、收运衔接和监督管理等内容提出意见建议。',
    body: GARBAGE_RULES,
    opens: -7,
    closes: 23,
    participation: 'real_name',
    publicComments: true,
    comments: [
      { author: '李明', body: '建议第五条定时定点投放增加晚间时段（如 19:00—21:00），方便上班族投放。' },
      { author: '陈红', body: '建议在小区设置大件垃圾和装修垃圾的临时堆放点，并公布预约清运电话。' },
    ],
  },
  {
    organisation: '武汉市政务服务和大数据管理局',
    kind: 'survey',
    title: '武汉市政务服务满意度网上调查',
    summary: '为持续优化营商环境，提升政务服务质量，我们开展本次满意度调查。调查匿名进行，约需 3 分钟。',
    questions: `单选* | 您最近一年通过哪种方式办理过政务服务事项？ | 政务服务网 / 鄂汇办 App / 政务服务中心窗口 / 没有办理过
评分* | 您对政务服务的总体满意度如何？
多选(1-3) | 您认为最需要改进的方面有哪些？ | 办事指南清晰度 / 办理时限 / 材料精简 / 网上办理便捷度 / 窗口服务态度
简答 | 您对改进政务服务还有哪些建议？`,
    opens: -14,
    closes: 16,
    participation: 'open',
    liveResults: true,
    responses: [
      { q1: 0, q2: 5, q3: [2, 3], q4: '希望更多事项可以全程网办。' },
      { q1: 1, q2: 4, q3: [3] },
      { q1: 2, q2: 4, q3: [1, 2] },
      { q1: 0, q2: 3, q3: [0, 3], q4: '办事指南里的材料名称有时与窗口要求不一致。' },
      { q1: 3, q2: 4, q3: [4] },
    ],
  },
  {
    organisation: '武汉市江岸区政务服务和大数据管理局',
    kind: 'survey',
    title: '江岸区政务服务中心延时服务需求调查',
    summary: '为方便上班族办事，我们拟调整延时服务时间和事项范围，请您告诉我们您的需求。',
    questions: `单选* | 您希望延时服务安排在什么时间？ | 工作日 17:30—19:00 / 工作日 12:00—14:00 / 周六上午 / 周六全天
多选(1-3)* | 您最希望延时办理哪些事项？ | 社会保障 / 户籍 / 市场主体登记 / 不动产登记 / 公积金
简答 | 其他意见`,
    opens: -3,
    closes: 27,
    participation: 'real_name',
    liveResults: false,
  },
  {
    organisation: '武汉市江岸区政务服务和大数据管理局',
    kind: 'draft',
    title: '《江岸区政务服务“好差评”工作实施细则（征求意见稿）》',
    summary: '为建立健全政务服务“好差评”制度，区政务服务和大数据管理局起草了本实施细则，现已完成意见征集，公布意见采纳情况如下。',
    body: `<p><strong>第一条</strong> 本细则适用于江岸区各级政务服务机构、平台和工作人员。</p>
<p><strong>第二条</strong> 评价分为非常满意、满意、基本满意、不满意、非常不满意五个等级。</p>
<p><strong>第三条</strong> 对差评事项，承办单位应当在 1 个工作日内回访核实，5 个工作日内整改反馈。</p>`,
    opens: -45,
    closes: -15,
    participation: 'open',
    publicComments: true,
    comments: [
      { author: '张先生', body: '建议差评整改结果也通过短信告知评价人。', adoption: 'adopted', reason: '已在第三条增加“整改结果通过短信告知评价人”。' },
      { author: '王女士', body: '建议把回访时限从 1 个工作日延长到 3 个工作日，给窗口留出核实时间。', adoption: 'not_adopted', reason: '国办发〔2019〕51号要求差评及时回访，1 个工作日符合文件要求，暂不调整。' },
      { author: '匿名', body: '五个等级区分不明显，建议加上每个等级的说明。', adoption: 'partly', reason: '将在评价页面增加等级说明，细则正文不作修改。' },
    ],
    feedback: '本次征求意见共收到有效意见 3 条，采纳 1 条，部分采纳 1 条，未采纳 1 条。感谢社会各界的关心和支持。',
  },
  {
    organisation: '大冶市政务服务和大数据管理局',
    kind: 'survey',
    title: '大冶市便民服务中心帮办代办服务满意度调查',
    summary: '了解群众对乡镇（街道）便民服务中心帮办代办服务的评价。调查已结束，结果公布如下。',
    questions: `单选* | 您是否使用过帮办代办服务？ | 使用过 / 没有使用过
评分* | 您对帮办代办服务的满意度
简答 | 意见建议`,
    opens: -60,
    closes: -30,
    participation: 'open',
    responses: [
      { q1: 0, q2: 5, q3: '工作人员很耐心。' },
      { q1: 0, q2: 4 },
      { q1: 1, q2: 3 },
      { q1: 0, q2: 5 },
    ],
    feedback: '本次调查共收到答卷 4 份，帮办代办服务平均满意度 4.3 分。我们将继续扩大帮办代办事项范围。',
  },
];

/** Demo consultations and surveys, written as the seeding system actor with audit entries. Idempotent by title. */
export async function seedConsultations(
  platform: Platform,
  repo: ConsultationRepository,
  findOrganisation: (name: string) => Promise<SeedOrganisation | null>,
): Promise<number> {
  let created = 0;
  const now = Date.now();
  for (const demo of DEMO) {
    if (await repo.findByTitle(demo.title)) continue;
    const org = await findOrganisation(demo.organisation);
    if (!org) {
      platform.logger.warn({ organisation: demo.organisation }, 'consultations seed: organisation not found, skipped');
      continue;
    }
    const questions = demo.questions ? parseQuestionnaireText(demo.questions).value : [];
    await platform.transactor.run(systemContext('seed'), async (uow) => {
      const c = await repo.insert(uow.tx, {
        kind: demo.kind,
        organisationId: org.id,
        organisationName: org.name,
        jurisdictionCode: org.jurisdictionCode,
        title: demo.title,
        summary: demo.summary,
        bodyHtml: sanitizeDraftHtml(demo.body ?? ''),
        questions,
        opensAt: new Date(now + demo.opens * DAY),
        closesAt: new Date(now + demo.closes * DAY),
        participation: demo.participation,
        publicComments: demo.publicComments ?? false,
        liveResults: demo.liveResults ?? false,
        createdBy: 'system:seed',
      });
      let row = await repo.update(uow.tx, c.id, c.version, { status: 'published', publishedAt: new Date(now + demo.opens * DAY) });
      for (const x of demo.comments ?? []) {
        const comment = await repo.insertComment(uow.tx, {
          consultationId: c.id,
          submissionId: crypto.randomUUID(),
          accountId: null,
          authorName: x.author,
          contact: `demo${crypto.randomInt(1000, 9999)}@example.cn`,
          body: x.body,
          flaggedTerms: [],
          status: 'pending',
        });
        if (!comment) continue;
        const approved = await repo.updateComment(uow.tx, comment.id, comment.version, { status: 'approved', moderationReason: null, moderatedBy: 'system:seed' });
        if (approved && x.adoption) await repo.updateComment(uow.tx, approved.id, approved.version, { adoption: x.adoption, adoptionReason: x.reason ?? null });
      }
      for (const answers of demo.responses ?? []) {
        const hasText = Object.values(answers).some((a) => typeof a === 'string');
        await repo.insertResponse(uow.tx, { consultationId: c.id, submissionId: crypto.randomUUID(), accountId: null, browserKey: `seed-${crypto.randomBytes(12).toString('base64url')}`, answers, flaggedTerms: [], textStatus: hasText ? 'approved' : 'none' });
      }
      if (row && demo.feedback) row = await repo.update(uow.tx, c.id, row.version, { status: 'concluded', concludedAt: new Date(now + (demo.closes + 5) * DAY), feedbackSummary: demo.feedback });
      if (row) await feedConsultationToSearch(platform.search, uow, row);
      await uow.audit({ action: 'consultation.publish', objectType: 'consultation', objectId: c.id, detail: { seed: true } });
    });
    created += 1;
  }
  return created;
}
