import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

const SAFE_BACK = /^\/(?!\/)[^\s]*$/;

/** Preferences every visitor can set without signing in: language and large text (适老化). */
export async function platformRoutes(app: FastifyInstance, opts: { config: Config }): Promise<void> {
  const secure = opts.config.env === 'production';
  app.post<{ Body: { lang?: string; largeText?: string; back?: string } }>(
    '/preferences',
    {
      config: { access: { public: true } },
      schema: {
        hide: true,
        body: {
          type: 'object',
          properties: {
            _csrf: { type: 'string', maxLength: 128 },
            lang: { type: 'string', enum: ['zh', 'en'] },
            largeText: { type: 'string', enum: ['0', '1'] },
            back: { type: 'string', maxLength: 500 },
          },
        },
      },
    },
    async (request, reply) => {
      const oneYear = 365 * 24 * 3600;
      const { lang, largeText, back } = request.body;
      if (lang) reply.setCookie('zw_lang', lang, { path: '/', sameSite: 'lax', secure, maxAge: oneYear });
      if (largeText) reply.setCookie('zw_large', largeText, { path: '/', sameSite: 'lax', secure, maxAge: oneYear });
      return reply.redirect(back && SAFE_BACK.test(back) ? back : '/', 303);
    },
  );
}
