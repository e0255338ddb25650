/** Public surface of the notifications module (消息通知). Commands send with platform/notify/notify.ts. */
export { createNotificationsModule, type NotificationsModuleOptions } from './manifest.ts';
