import { sql } from 'kysely';
import { systemContext } from '../../platform/auth/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { CATALOGUE, SEEDED_DIVISIONS } from './catalogue.ts';
import { seedDemoTickets } from './seed-tickets.ts';
import type { AppealsService } from './service.ts';

export interface SeedOrganisations {
  /** Organisations whose jurisdiction is exactly this division. */
  inDivision: (code: string) => Promise<{ id: string; name: string; jurisdictionCode: string }[]>;
}

const TEMPLATES: [string, string][] = [
  ['已办结（已解决）', '您好，您反映的问题我单位已于　月　日安排工作人员现场核实并处理完毕，具体情况如下：\n\n感谢您对我们工作的监督。'],
  ['阶段性答复', '您好，您反映的问题已收悉，我单位正在调查核实，预计　月　日前答复您。'],
  ['解释说明', '您好，经核实，您反映的情况属于　　，依据《　　》第　条，现将有关政策解释如下：'],
  ['告知法定途径', '您好，您反映的事项属于　　（行政复议／诉讼／仲裁／信息公开申请）范围，请依法向　　提出。'],
];

const KB: { question: string; answer: string; category: string | null; keywords: string[] }[] = [
  {
    question: '社保卡丢失了怎么补办？',
    answer: '社保卡丢失后，请先拨打 12333 或通过“鄂汇办”APP 办理挂失，再携带本人身份证到任一社保卡服务网点或合作银行网点申请补办，即时制卡网点可当场领卡。',
    category: '0501',
    keywords: ['社保卡', '丢失', '补办'],
  },
  {
    question: '新生儿怎么办理医保参保？',
    answer: '新生儿出生后可通过“出生一件事”联办，在户籍登记后 90 日内凭出生医学证明、户口簿到社区（村）或线上办理城乡居民医保参保登记，自出生之日起享受待遇。',
    category: '0501',
    keywords: ['新生儿', '医保', '参保'],
  },
  {
    question: '预付卡商家跑路了怎么维权？',
    answer: '请保留好购卡合同、付款凭证和聊天记录，向商家所在地市场监督管理部门投诉；涉嫌诈骗的，可向公安机关报案。',
    category: '0202',
    keywords: ['预付卡', '跑路', '维权'],
  },
];

/** Demo data (idempotent): the dispatch catalogue, hotline offices, dispatch rules, reply templates, knowledge base, demo tickets. */
export async function seedAppeals(platform: Platform, service: AppealsService, orgs: SeedOrganisations): Promise<void> {
  const { tickets, kb, search } = service.deps;
  const db = platform.db;
  let order = 0;
  for (const branch of CATALOGUE) {
    await tickets.upsertCategory(db, { code: branch.code, name: branch.name, parentCode: null, sortOrder: order++ });
    for (const leaf of branch.leaves) await tickets.upsertCategory(db, { code: leaf.code, name: leaf.name, parentCode: branch.code, sortOrder: order++ });
  }
  for (const division of SEEDED_DIVISIONS) {
    const list = await orgs.inDivision(division);
    if (list.length === 0) continue;
    const hotline = list.find((o) => o.name.includes('政务服务和大数据管理局'));
    const petition = list.find((o) => o.name.includes('信访局'));
    const office = list.find((o) => /人民政府办公/.test(o.name));
    if (hotline) await tickets.upsertCentre(db, { organisationId: hotline.id, kind: 'hotline', divisionCode: division, organisationName: hotline.name });
    if (petition) await tickets.upsertCentre(db, { organisationId: petition.id, kind: 'petition', divisionCode: division, organisationName: petition.name });
    for (const leaf of CATALOGUE.flatMap((b) => b.leaves)) {
      // '人民政府' contains '民政': without this the 民政 leaves went to the government office.
      const unit = leaf.unit.map((w) => list.find((o) => o.name.replace('人民政府', '').includes(w))).find(Boolean) ?? office;
      if (unit) await tickets.upsertRule(db, { categoryCode: leaf.code, divisionCode: division, organisationId: unit.id, organisationName: unit.name });
    }
  }
  // Display names and numbers of the seeded centres (administered at /workbench/appeals/centres afterwards).
  await sql`UPDATE appeals.centre SET name = organisation_name || CASE kind WHEN 'hotline' THEN '（12345 热线）' ELSE '' END, hotline = CASE kind WHEN 'hotline' THEN '12345' ELSE '' END WHERE name = ''`.execute(db);
  for (const [name, body] of TEMPLATES) await tickets.ensureTemplate(db, name, body);
  const centres = await tickets.centres();
  const wuhan = centres.find((c) => c.kind === 'hotline' && c.divisionCode === '420100');
  if (wuhan) {
    for (const e of KB) {
      if (await kb.findByQuestion(e.question)) continue;
      await platform.transactor.run(systemContext('seed'), async (uow) => {
        const entry = await kb.insert(uow.tx, { question: e.question, answer: e.answer, categoryCode: e.category, keywords: e.keywords, published: true, divisionCode: wuhan.divisionCode, organisationId: wuhan.organisationId, organisationName: wuhan.organisationName });
        await search.put(uow, { key: `qa:${entry.id}`, kind: 'qa', title: entry.question, body: entry.answer, url: `/appeals/kb/${entry.id}`, publishedAt: entry.updatedAt, divisionCode: entry.divisionCode, organisationId: entry.organisationId, organisationName: entry.organisationName, category: entry.categoryCode, keywords: entry.keywords });
        await uow.audit({ action: 'appeal.kb.create', objectType: 'appeal_kb', objectId: entry.id, detail: { seed: true } });
      });
    }
  }
  service.invalidate();
  // Demo tickets for `npm start` (mailbox, figures, inbox). Not under NODE_ENV=test: the module
  // itests seed the catalogue and then count the tickets they create themselves.
  if (platform.config.env !== 'test') await seedDemoTickets(platform, service, orgs);
}
