import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import type { Access } from '../../../platform/http/access.ts';
import { setFlash } from '../../../platform/http/server.ts';
import { loadProfileView, type ContactDetails, type ProfileView } from '../applicant-profile.ts';
import { updateContactProfile } from '../commands/update-contact-profile.ts';
import type { IdentityDeps } from '../deps.ts';
import { myProfilePage } from '../views/profile-pages.ts';
import { formBody, identityError, noStore, sendPage } from './http.ts';

const applicants: Access = { signedIn: ['citizen', 'enterprise'] };
const tags = ['identity'];
const contactProps = {
  email: { type: 'string', maxLength: 200, description: '电子邮箱' },
  address: { type: 'string', maxLength: 400, description: '联系地址（个人）' },
  contactPerson: { type: 'string', maxLength: 200, description: '联系人（法人）' },
  contactPhone: { type: 'string', maxLength: 200, description: '联系电话（法人）：手机或带区号的固定电话' },
  domicile: { type: 'string', maxLength: 400, description: '住所（法人）' },
} as const;
const profileSchema = {
  type: 'object',
  description: '我的资料：实名信息（号码已脱敏，不可修改）与本人维护的联系信息',
  properties: {
    kind: { type: 'string', enum: ['citizen', 'enterprise'] },
    realNameLevel: { type: 'integer' },
    identity: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, label: { type: 'string' }, value: { type: 'string' } } } },
    contact: { type: 'object', properties: contactProps },
    editable: { type: 'array', items: { type: 'string' } },
    version: { type: 'integer', description: '修改时回传（乐观锁）；从未保存为 0' },
    updatedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;
const problem = { type: 'object', description: 'RFC 9457 problem+json', additionalProperties: true } as const;

/** 我的资料 (issue 3): the page under 我的空间 and GET/PUT /api/me/profile, one command. */
export function profileRoutes(deps: IdentityDeps) {
  async function viewOf(request: FastifyRequest): Promise<ProfileView> {
    const a = request.actor;
    const v = a.kind === 'citizen' || a.kind === 'enterprise' ? await loadProfileView(deps, a.accountId) : null;
    if (!v) throw new AppError('ZW_ERR_UNAUTHENTICATED');
    return v;
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/account/profile', { config: { access: applicants }, schema: { hide: true } }, async (request, reply) => {
      noStore(reply);
      return sendPage(reply, myProfilePage(request.page, await viewOf(request)));
    });
    app.post<{ Body: Record<string, string | undefined> }>(
      '/account/profile',
      { config: { access: applicants }, schema: { hide: true, body: formBody(['version'], contactProps) } },
      async (request, reply) => {
        const r = await updateContactProfile(deps, request.ctx, request.body);
        if (!r.ok) {
          if (r.reason === 'invalid' || r.reason === 'conflict') {
            const entered = Object.fromEntries(Object.entries(request.body).filter(([k]) => k in contactProps)) as ContactDetails;
            const errors = r.fields?.length ? r.fields : [{ field: 'version', message: r.message }];
            noStore(reply);
            // On a conflict the form shows the latest version number with what was entered, so saving again is deliberate.
            return sendPage(reply, myProfilePage(request.page, await viewOf(request), { values: entered, errors }), r.reason === 'conflict' ? 409 : 400);
          }
          throw identityError(r);
        }
        setFlash(reply, '资料已保存，以后在线申请时会自动填入');
        return reply.redirect('/account/profile', 303);
      },
    );

    app.get('/api/me/profile', { config: { access: applicants }, schema: { tags, summary: '我的资料', response: { 200: profileSchema, 401: problem } } }, async (request, reply) => {
      noStore(reply);
      return viewOf(request);
    });
    app.put<{ Body: Record<string, unknown> }>(
      '/api/me/profile',
      {
        config: { access: applicants },
        schema: {
          tags,
          summary: '修改我的资料（联系信息）',
          body: { type: 'object', required: ['version'], additionalProperties: false, properties: { version: { type: 'integer', minimum: 0 }, ...contactProps } },
          response: { 200: profileSchema, 400: problem, 409: problem },
        },
      },
      async (request) => {
        const r = await updateContactProfile(deps, request.ctx, request.body);
        if (!r.ok) throw identityError(r);
        return r.value;
      },
    );
  };
}
