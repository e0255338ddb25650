import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorId, type ActorKind } from '../../../platform/auth/actor.ts';
import { AppError, refusalError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import { countInbox, findInbox } from '../../../platform/notify/notification.repository.ts';
import { findOutboxMessages } from '../../../platform/notify/outbox.repository.ts';
import type { Platform } from '../../../platform/platform.ts';
import { markNotificationsRead } from '../commands/mark-notifications-read.ts';
import { inboxPage, outboxPage } from '../views/notification-pages.ts';

const PAGE_SIZE = 20;
const OUTBOX_PAGE_SIZE = 50;
const SIGNED_IN: ActorKind[] = ['citizen', 'enterprise', 'staff'];
const pageQuery = { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } as const;
const csrfBody = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const;

export const OUTBOX_PERMISSION = 'system.outbox.read';

export function notificationRoutes(platform: Platform) {
  const { transactor, db, config } = platform;
  const send = (reply: FastifyReply, markup: { value: string }) => reply.type('text/html; charset=utf-8').send(markup.value);

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { page: number } }>(
      '/account/inbox',
      { config: { access: { signedIn: SIGNED_IN } }, schema: { hide: true, querystring: pageQuery } },
      async (request, reply) => {
        const recipient = actorId(request.actor);
        if (!recipient) throw new AppError('ZW_ERR_UNAUTHENTICATED');
        const { page } = request.query;
        const [messages, counts] = await Promise.all([
          findInbox(db, recipient, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
          countInbox(db, recipient),
        ]);
        return send(reply, inboxPage(request.page, messages, { page, pageSize: PAGE_SIZE, total: counts.total, unread: counts.unread }));
      },
    );

    const markRead = async (ctx: Parameters<typeof transactor.run>[0], id?: number) => {
      const result = await transactor.run(ctx, (uow) => markNotificationsRead(uow, id === undefined ? {} : { id }));
      if (!result.ok) throw refusalError(result);
      return result.value;
    };
    app.post<{ Params: { id: number } }>(
      '/account/inbox/:id/read',
      { config: { access: { signedIn: SIGNED_IN } }, schema: { hide: true, params: idParams, body: csrfBody } },
      async (request, reply) => {
        await markRead(request.ctx, request.params.id);
        setFlash(reply, '已标为已读');
        return reply.redirect('/account/inbox', 303);
      },
    );
    app.post(
      '/account/inbox/read-all',
      { config: { access: { signedIn: SIGNED_IN } }, schema: { hide: true, body: csrfBody } },
      async (request, reply) => {
        const { changed } = await markRead(request.ctx);
        setFlash(reply, changed > 0 ? `已将 ${changed} 条消息标为已读` : '没有未读消息');
        return reply.redirect('/account/inbox', 303);
      },
    );

    // Development aid only: production never serves the messages kept instead of sent.
    if (config.env !== 'production') {
      app.get<{ Querystring: { page: number } }>(
        '/dev/outbox',
        { config: { access: { permission: OUTBOX_PERMISSION } }, schema: { hide: true, querystring: pageQuery } },
        async (request, reply) => {
          const { page } = request.query;
          const rows = await findOutboxMessages(db, { limit: OUTBOX_PAGE_SIZE + 1, offset: (page - 1) * OUTBOX_PAGE_SIZE });
          return send(reply, outboxPage(request.page, rows.slice(0, OUTBOX_PAGE_SIZE), { page, pageSize: OUTBOX_PAGE_SIZE, hasNext: rows.length > OUTBOX_PAGE_SIZE }));
        },
      );
    }
  };
}
