/** Public surface of the notices module (通知公告). */
export { createNoticesModule } from './manifest.ts';
export type { NoticeRow, NoticeStatus } from './notice.repository.ts';
