import type { ModuleManifest } from '../../platform/module.ts';
import { outboxMailer, outboxSmsProvider, smtpMailer, type Mailer, type SmsProvider } from '../../platform/notify/delivery.ts';
import { registerNotifyHandlers } from '../../platform/notify/handlers.ts';
import type { Platform } from '../../platform/platform.ts';
import { notificationRoutes, OUTBOX_PERMISSION } from './routes/notification-routes.ts';

export interface NotificationsModuleOptions {
  /** Default: SMTP when ZHENGWU_SMTP_URL is set, else the outbox table. */
  mailer?: Mailer;
  /** Default: the outbox table (a real gateway implements SmsProvider). */
  sms?: SmsProvider;
}

/**
 * 消息通知: delivers the email and SMS that commands send with `notify(uow, …)`
 * (platform/notify; inbox messages are written by the command's own commit, and inbox jobs an
 * earlier version enqueued are still delivered here), and shows the inbox (/account/inbox) and,
 * outside production, the development outbox (/dev/outbox). The tables are the platform's;
 * this module owns the pages and the delivery wiring.
 */
export function createNotificationsModule(platform: Platform, options: NotificationsModuleOptions = {}): { manifest: ModuleManifest; mailer: Mailer; sms: SmsProvider } {
  const { config, db, logger } = platform;
  const mailer = options.mailer ?? (config.smtpUrl ? smtpMailer({ url: config.smtpUrl, from: config.mailFrom }) : outboxMailer(db));
  const sms = options.sms ?? outboxSmsProvider(db);
  if (config.env === 'production') {
    if (mailer.kind === 'outbox') logger.warn('ZHENGWU_SMTP_URL is not set: emails are kept in platform.outbox_message, not sent');
    if (sms.kind === 'outbox') logger.warn('no SMS gateway configured: SMS are kept in platform.outbox_message, not sent');
  }
  registerNotifyHandlers(platform.jobs, db, { mailer, sms });
  const dev = config.env !== 'production';
  const manifest: ModuleManifest = {
    name: 'notifications',
    title: '消息通知',
    migrations: [],
    permissions: [{ code: OUTBOX_PERMISSION, label: '查看开发发件箱（未实际发送的邮件和短信）', kind: 'system' }],
    grants: { sysadmin: [OUTBOX_PERMISSION] },
    navigation: dev ? [{ label: '开发发件箱', labelEn: 'Dev outbox', href: '/dev/outbox', permission: OUTBOX_PERMISSION }] : [],
    routes: notificationRoutes(platform),
  };
  return { manifest, mailer, sms };
}
