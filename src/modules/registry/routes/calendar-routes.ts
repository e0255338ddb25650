import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatCivilDate, nationalLoadedYears, parseCivilDate } from '../../../platform/calendar/index.ts';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { todayInShanghai, type CalendarService } from '../calendar-service.ts';
import type { CodeTableService } from '../code-table-service.ts';
import { NATIONAL, parseCalendarJurisdiction } from '../jurisdiction-chain.ts';
import { canManageCalendar, ownCalendarJurisdiction } from '../policies.ts';
import { calendarPage } from '../views/calendar-pages.ts';

const PAGE_SIZE = 50;
/** Longest count the public API computes; statutory periods are far shorter. */
const MAX_WORKING_DAYS = 1000;

const str = { type: 'string', maxLength: 200 } as const;
const entryBody = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 128 }, jurisdictionCode: str, date: str, kind: str, name: str, source: str },
} as const;
const yearBody = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 128 }, jurisdictionCode: str, year: str, notice: str },
} as const;
const pageQuery = {
  type: 'object',
  properties: { jurisdiction: { type: 'string', maxLength: 20 }, page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } },
} as const;
const dueParams = {
  type: 'object',
  required: ['jurisdictionCode'],
  properties: { jurisdictionCode: { type: 'string', maxLength: 20, description: 'national，或行政区划代码（乡镇、村按所在县计算）' } },
} as const;
const dueQuery = {
  type: 'object',
  required: ['from', 'n'],
  properties: {
    from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '起算日 YYYY-MM-DD（当日不计入）' },
    n: { type: 'integer', minimum: 0, maximum: MAX_WORKING_DAYS, description: '工作日数' },
  },
  additionalProperties: false,
} as const;
const dueResponse = {
  type: 'object',
  properties: {
    jurisdictionCode: { type: 'string' },
    from: { type: 'string', format: 'date' },
    n: { type: 'integer' },
    dueOn: { type: 'string', format: 'date' },
    provisional: { type: 'boolean', description: '计算涉及尚未载入放假安排的年份，按周一至周五规则计算，载入后可能变化' },
  },
} as const;

type Values = Record<string, string | undefined>;
type FormState = { values: Values; errors: FieldError[] };
const emptyForm = (): FormState => ({ values: {}, errors: [] });

export function calendarRoutes(platform: Platform, deps: { calendars: CalendarService; codes: CodeTableService }) {
  const { permissions } = platform;
  const { calendars } = deps;
  const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);
  const builtIn = nationalLoadedYears();
  const builtInYears = { first: builtIn[0] ?? 0, last: builtIn[builtIn.length - 1] ?? 0 };

  async function jurisdictionLabel(code: string): Promise<string> {
    if (code === NATIONAL) return '全国';
    const divisions = await deps.codes.getTable('DIVISION');
    const name = divisions?.label(code);
    return name ? `${name}（${code}）` : code;
  }

  async function renderPage(
    page: PageContext,
    code: string,
    pageNo: number,
    forms: { entryForm?: FormState; yearForm?: FormState } = {},
  ) {
    const today = todayInShanghai();
    const [status, national, { rows, total }, years, label] = await Promise.all([
      calendars.arrangementStatus(code, today),
      calendars.arrangementStatus(NATIONAL, today),
      calendars.listEntries(code, { limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE }),
      calendars.listYears(code),
      jurisdictionLabel(code),
    ]);
    return calendarPage(page, {
      jurisdiction: { code, label },
      status,
      builtInYears,
      entries: rows,
      paging: { page: pageNo, pageSize: PAGE_SIZE, total },
      years,
      nationalLoaded: [national.currentYear, national.nextYear].filter((y) => y.loaded).map((y) => y.year),
      canManage: canManageCalendar(permissions, page.actor, code),
      canManageNational: canManageCalendar(permissions, page.actor, NATIONAL),
      entryForm: forms.entryForm ?? emptyForm(),
      yearForm: forms.yearForm ?? emptyForm(),
    });
  }

  /** The calendar a form was about, to show it again (falls back to the actor's own). */
  function viewedJurisdiction(raw: string | undefined, page: PageContext): string {
    const parsed = parseCalendarJurisdiction(raw ?? '', { belowCounty: 'county', emptyIsNational: true });
    if (parsed.ok) return parsed.code;
    return ownCalendarJurisdiction(page.actor) ?? NATIONAL;
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- staff workbench (系统管理员) ----
    app.get<{ Querystring: { jurisdiction?: string; page: number } }>(
      '/workbench/calendar',
      { config: { access: { permission: 'calendar.manage' } }, schema: { hide: true, querystring: pageQuery } },
      async (request, reply) => {
        let code: string;
        if (request.query.jurisdiction === undefined || request.query.jurisdiction.trim() === '') {
          // Province-level operators load the national notice; others see their own calendar first.
          code = canManageCalendar(permissions, request.actor, NATIONAL) ? NATIONAL : (ownCalendarJurisdiction(request.actor) ?? NATIONAL);
        } else {
          const parsed = parseCalendarJurisdiction(request.query.jurisdiction);
          if (!parsed.ok) throw new AppError('ZW_ERR_VALIDATION', `地区代码不正确：${parsed.message}`, [{ field: 'jurisdiction', message: parsed.message }]);
          code = parsed.code;
        }
        return send(reply, await renderPage(request.page, code, request.query.page));
      },
    );

    app.post<{ Body: Values }>(
      '/workbench/calendar/entries',
      { config: { access: { permission: 'calendar.manage' } }, schema: { hide: true, body: entryBody } },
      async (request, reply) => {
        const result = await calendars.addEntry(request.ctx, request.body);
        if (!result.ok) {
          if (result.fields && result.fields.length > 0) {
            const status = result.reason === 'forbidden' ? 403 : result.reason === 'duplicate' ? 409 : 400;
            const code = viewedJurisdiction(request.body.jurisdictionCode, request.page);
            return send(reply, await renderPage(request.page, code, 1, { entryForm: { values: request.body, errors: result.fields } }), status);
          }
          throw refusalError(result);
        }
        setFlash(reply, `已保存 ${result.value.date} ${result.value.name}`);
        return reply.redirect(`/workbench/calendar?jurisdiction=${encodeURIComponent(result.value.jurisdictionCode)}`, 303);
      },
    );

    app.post<{ Body: Values }>(
      '/workbench/calendar/years',
      { config: { access: { permission: 'calendar.manage' } }, schema: { hide: true, body: yearBody } },
      async (request, reply) => {
        const result = await calendars.markYearLoaded(request.ctx, request.body);
        if (!result.ok) {
          if (result.fields && result.fields.length > 0) {
            const status = result.reason === 'forbidden' ? 403 : result.reason === 'duplicate' ? 409 : 400;
            const code = viewedJurisdiction(request.body.jurisdictionCode, request.page);
            return send(reply, await renderPage(request.page, code, 1, { yearForm: { values: request.body, errors: result.fields } }), status);
          }
          throw refusalError(result);
        }
        setFlash(reply, `已登记 ${result.value.year} 年的放假安排为已载入`);
        return reply.redirect(`/workbench/calendar?jurisdiction=${encodeURIComponent(result.value.jurisdictionCode)}`, 303);
      },
    );

    // ---- public JSON API: compute a due date (useful for citizens) ----
    app.get<{ Params: { jurisdictionCode: string }; Querystring: { from: string; n: number } }>(
      '/api/calendar/:jurisdictionCode/working-days',
      {
        config: { access: { public: true }, rateLimit: { max: 300, timeWindow: '1 minute' } },
        schema: {
          tags: ['calendar'],
          summary: '按工作日计算期限',
          description: '起算日不计入（《民法典》第二百零一条），自下一日起按该地区工作日历计算第 n 个工作日（《行政许可法》第八十二条：期限以工作日计算，不含法定节假日）。',
          params: dueParams,
          querystring: dueQuery,
          response: { 200: dueResponse },
        },
      },
      async (request) => {
        const jurisdiction = parseCalendarJurisdiction(request.params.jurisdictionCode);
        if (!jurisdiction.ok) {
          throw new AppError('ZW_ERR_VALIDATION', `地区代码不正确：${jurisdiction.message}`, [{ field: 'jurisdictionCode', message: jurisdiction.message }]);
        }
        let from: string;
        try {
          from = formatCivilDate(parseCivilDate(request.query.from));
        } catch {
          throw new AppError('ZW_ERR_VALIDATION', '起算日不是实际存在的日期', [{ field: 'from', message: '起算日不是实际存在的日期，格式应为 YYYY-MM-DD' }]);
        }
        return calendars.dueDate(jurisdiction.code, from, request.query.n);
      },
    );
  };
}
