import { systemContext } from '../../platform/auth/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import type { NoticeRepository } from './notice.repository.ts';
import { feedNoticeToSearch } from './search-document.ts';

export interface SeedOrganisation {
  id: string;
  name: string;
  jurisdictionCode: string;
}

/** Demo notices (published), written as the seeding system actor with audit entries. Idempotent by title. */
const DEMO_NOTICES: { organisation: string; title: string; body: string }[] = [
  {
    organisation: '湖北省政务服务和大数据管理局',
    title: '关于全省政务服务“一网通办”统一身份认证平台上线运行的公告',
    body: '全省统一身份认证平台已上线运行。个人和法人用户注册一次、登录一次，即可办理省、市、县、乡、村各级政务服务事项。\n\n已在各地政务服务网注册的用户，可以使用原账号登录，系统将引导完成实名核验。\n\n咨询电话：12345。',
  },
  {
    organisation: '武汉市政务服务和大数据管理局',
    title: '武汉市市民之家元旦假期对外服务安排',
    body: '根据国务院办公厅关于节假日安排的通知，元旦假期期间市民之家暂停对外服务，网上办事服务照常受理，受理时间按工作日顺延计算。\n\n如有紧急事项，请拨打 12345 政务服务便民热线。',
  },
  {
    organisation: '武汉市江岸区政务服务和大数据管理局',
    title: '江岸区政务服务中心延时服务的通知',
    body: '为方便上班族办事，江岸区政务服务中心自下月起在工作日延时服务至 19:00，周六上午 9:00—12:00 提供预约办理。\n\n延时服务窗口办理社会保障、户籍、市场主体登记等高频事项。',
  },
  {
    organisation: '大冶市政务服务和大数据管理局',
    title: '大冶市乡镇（街道）便民服务中心“帮办代办”服务公告',
    body: '大冶市各乡镇（街道）便民服务中心设立帮办代办窗口，为老年人、残疾人等群体提供全程帮办服务。\n\n群众可携带身份证件到就近便民服务中心办理。',
  },
];

export async function seedNotices(
  platform: Platform,
  notices: NoticeRepository,
  findOrganisation: (name: string) => Promise<SeedOrganisation | null>,
): Promise<number> {
  let created = 0;
  const existing = new Set((await notices.listPublished({ limit: 1000, offset: 0 })).rows.map((n) => n.title));
  for (const demo of DEMO_NOTICES) {
    if (existing.has(demo.title)) continue;
    const org = await findOrganisation(demo.organisation);
    if (!org) {
      platform.logger.warn({ organisation: demo.organisation }, 'notices seed: organisation not found, skipped');
      continue;
    }
    await platform.transactor.run(systemContext('seed'), async (uow) => {
      const n = await notices.insert(uow.tx, {
        organisationId: org.id,
        organisationName: org.name,
        jurisdictionCode: org.jurisdictionCode,
        title: demo.title,
        body: demo.body,
        createdBy: 'system:seed',
      });
      const published = await notices.update(uow.tx, n.id, n.version, { status: 'published', publishedAt: new Date() });
      if (published) await feedNoticeToSearch(platform.search, uow, published);
      await uow.audit({ action: 'notice.publish', objectType: 'notice', objectId: n.id, detail: { seed: true } });
    });
    created += 1;
  }
  return created;
}
