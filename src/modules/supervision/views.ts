import type { FieldError } from '../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textArea, textField } from '../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../platform/views/layout.ts';
import { t, type PageContext } from '../../platform/views/page-context.ts';
import type { SignalledCase, SupervisionFigures } from '../cases/index.ts';
import type { AlertRow, RuleRow } from './alert.repository.ts';
import { STATE_LABEL, type AlertStep } from './rules.ts';

const HOME = { label: '工作台', href: '/workbench' };
const DASH = { label: '电子监察', href: '/workbench/supervision/dashboard' };

export interface FigureView extends SupervisionFigures {
  label: string;
  href: string | null;
}

export interface DashboardView {
  today: string;
  levelLabel: string;
  path: { label: string; href: string }[];
  groupLabel: string;
  figures: FigureView[];
  totals: { open: number; yellow: number; red: number; stepOverdue: number; onTimeRate: number | null; onlineRate: number | null; avgHandlingDays: number | null; avgScore: number | null };
  cases: { rows: SignalledCase[]; total: number; page: number; pageSize: number; query: Record<string, string | undefined> };
  disclosure: { organisationName: string; count: number }[];
  openAlerts: number;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '—' : String(x));
const SIGNAL_BADGE = { yellow: 'badge warn', red: 'badge danger' } as const;
const SIGNAL_LABEL = { yellow: '黄灯', red: '红灯' } as const;

export function dashboardPage(page: PageContext, v: DashboardView, canRaise = false): SafeHtml {
  const onTime = (f: SupervisionFigures) => (f.decided === 0 ? null : f.onTime / f.decided);
  return workbenchPage(page, {
    title: t(page, '电子监察', 'E-supervision'),
    crumbs: [HOME, ...v.path.slice(0, -1), { label: v.path.at(-1)?.label ?? '电子监察' }],
    body: html`<h1>${t(page, '电子监察', 'E-supervision')}：${v.levelLabel}</h1>
<p class="muted">${t(page, '统计日', 'As of')} ${v.today} · <a href="/workbench/supervision/alerts">${t(page, `预警与督办（未办结 ${v.openAlerts} 条）`, `Alerts and notices (${v.openAlerts} open)`)}</a> · <a href="/workbench/supervision/rules">${t(page, '监察规则', 'Rules')}</a></p>
${canRaise ? html`<form method="post" action="/workbench/supervision/raise" class="inline-form">${csrfField(page)}<button type="submit" class="secondary">${t(page, '立即检查并产生预警', 'Check deadlines now')}</button></form>` : ''}
<dl class="kpi">
  <div><dt>${t(page, '在办件', 'Open cases')}</dt><dd>${v.totals.open}</dd></div>
  <div><dt>${t(page, '黄灯预警', 'Yellow')}</dt><dd>${v.totals.yellow}</dd></div>
  <div><dt>${t(page, '红灯超期', 'Red')}</dt><dd>${v.totals.red}</dd></div>
  <div><dt>${t(page, '环节超时', 'Step overdue')}</dt><dd>${v.totals.stepOverdue}</dd></div>
  <div><dt>${t(page, '按时办结率（目标 100%）', 'On-time rate (target 100%)')}</dt><dd>${pct(v.totals.onTimeRate)}</dd></div>
  <div><dt>${t(page, '网上办理率', 'Online rate')}</dt><dd>${pct(v.totals.onlineRate)}</dd></div>
  <div><dt>${t(page, '平均办理时间（工作日）', 'Average handling time (working days)')}</dt><dd>${num(v.totals.avgHandlingDays)}</dd></div>
  <div><dt>${t(page, '好差评平均分', 'Average rating')}</dt><dd>${num(v.totals.avgScore)}</dd></div>
</dl>
<h2>${t(page, `按${v.groupLabel}统计`, `By ${v.groupLabel}`)}</h2>
${v.figures.length === 0
  ? html`<p class="empty">${t(page, '管辖范围内暂无办件。', 'No cases in this jurisdiction yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, `按${v.groupLabel}统计的办件监察数据`, 'Supervision figures')}</caption>
<thead><tr><th scope="col">${v.groupLabel}</th><th scope="col">${t(page, '在办', 'Open')}</th><th scope="col">${t(page, '黄灯', 'Yellow')}</th><th scope="col">${t(page, '红灯', 'Red')}</th><th scope="col">${t(page, '环节超时', 'Step overdue')}</th><th scope="col">${t(page, '按时办结率', 'On time')}</th><th scope="col">${t(page, '平均办理（工作日）', 'Avg. days')}</th><th scope="col">${t(page, '评价数', 'Ratings')}</th><th scope="col">${t(page, '平均分', 'Avg. score')}</th><th scope="col">${t(page, '差评', 'Bad')}</th></tr></thead>
<tbody>${v.figures.map((f) => html`<tr><th scope="row">${f.href ? html`<a href="${f.href}">${f.label}</a>` : f.label}</th><td>${f.open}</td><td>${f.yellow}</td><td>${f.red}</td><td>${f.stepOverdue}</td><td>${pct(onTime(f))}</td><td>${num(f.avgHandlingDays)}</td><td>${f.ratings}</td><td>${num(f.avgScore)}</td><td>${f.badRatings}</td></tr>`)}</tbody></table>`}
<h2>${t(page, '黄灯、红灯办件', 'Yellow and red cases')}</h2>
${v.cases.rows.length === 0
  ? html`<p class="empty">${t(page, '没有黄灯或红灯办件。', 'No yellow or red cases.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '黄灯、红灯办件列表', 'Yellow and red cases')}</caption>
<thead><tr><th scope="col">${t(page, '办件编号', 'Case no.')}</th><th scope="col">${t(page, '事项', 'Item')}</th><th scope="col">${t(page, '承办单位', 'Organisation')}</th><th scope="col">${t(page, '办结期限', 'Due')}</th><th scope="col">${t(page, '信号', 'Signal')}</th></tr></thead>
<tbody>${v.cases.rows.map((c) => html`<tr><td><a href="/workbench/cases/${c.id}">${c.caseNo ?? '—'}</a></td><td>${c.itemName}</td><td>${c.organisationName}</td><td>${c.dueOn ?? '—'}</td><td><span class="${SIGNAL_BADGE[c.signal]}">${SIGNAL_LABEL[c.signal]}</span></td></tr>`)}</tbody></table>
${pager({ path: '/workbench/supervision/dashboard', query: v.cases.query, page: v.cases.page, pageSize: v.cases.pageSize, total: v.cases.total })}`}
<h2>${t(page, '主动公开逾期预警', 'Overdue proactive disclosure')}</h2>
${v.disclosure.length === 0
  ? html`<p class="empty">${t(page, '没有未处理的主动公开逾期预警。', 'No open disclosure alerts.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '主动公开逾期预警', 'Overdue disclosure')}</caption><thead><tr><th scope="col">${t(page, '单位', 'Organisation')}</th><th scope="col">${t(page, '逾期条数', 'Overdue')}</th></tr></thead>
<tbody>${v.disclosure.map((d) => html`<tr><td>${d.organisationName}</td><td>${d.count}</td></tr>`)}</tbody></table>`}`,
  });
}

const LEVEL_BADGE = { YELLOW: 'badge warn', RED: 'badge danger' } as const;
const LEVEL_LABEL = { YELLOW: '黄牌', RED: '红牌' } as const;

export function alertListPage(page: PageContext, o: { title: string; path: string; rows: AlertRow[]; page: number; pageSize: number; total: number; state?: string | undefined }): SafeHtml {
  return workbenchPage(page, {
    title: o.title,
    crumbs: [HOME, ...(o.path === '/workbench/supervision/alerts' ? [DASH] : []), { label: o.title }],
    body: html`<h1>${o.title}</h1>
<form method="get" action="${o.path}" class="filters">
  <div class="field"><label for="f-state">${t(page, '状态', 'State')}</label>
  <select id="f-state" name="state"><option value="">${t(page, '全部', 'All')}</option>${(Object.keys(STATE_LABEL) as (keyof typeof STATE_LABEL)[]).map((s) => html`<option value="${s}"${s === o.state ? html` selected` : ''}>${STATE_LABEL[s]}</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
</form>
${o.rows.length === 0
  ? html`<p class="empty">${t(page, '暂无监察预警或督办。', 'No alerts or notices.')}</p>`
  : html`<table><caption class="visually-hidden">${o.title}</caption>
<thead><tr><th scope="col">${t(page, '监察编号', 'No.')}</th><th scope="col">${t(page, '办件编号', 'Case no.')}</th><th scope="col">${t(page, '预警内容', 'Content')}</th><th scope="col">${t(page, '被监察单位', 'Organisation')}</th><th scope="col">${t(page, '类型', 'Type')}</th><th scope="col">${t(page, '状态', 'State')}</th><th scope="col">${t(page, '整改期限', 'Rectify by')}</th></tr></thead>
<tbody>${o.rows.map((a) => html`<tr><td><a href="/workbench/supervision/alerts/${a.id}">${a.supervisionNo}</a></td><td>${a.caseNo}</td><td>${a.content}</td><td>${a.organisationName}</td><td><span class="${LEVEL_BADGE[a.level]}">${LEVEL_LABEL[a.level]}</span>${a.redCard ? html` <span class="badge danger">${t(page, '红牌督办', 'Red card')}</span>` : ''}</td><td>${STATE_LABEL[a.state]}${a.escalationLevel > 0 ? t(page, `（已升级 ${a.escalationLevel} 级）`, ` (escalated ${a.escalationLevel})`) : ''}</td><td>${a.rectifyDueOn ?? '—'}</td></tr>`)}</tbody></table>
${pager({ path: o.path, query: { state: o.state }, page: o.page, pageSize: o.pageSize, total: o.total })}`}`,
  });
}

const STEP_LABEL: Record<AlertStep, string> = { notice: '发出督办', respond: '回告', verify: '核查', close: '办结' };
const FIELD_LABELS = { noticeText: '督办意见', rectifyDueOn: '整改期限', responseText: '回告内容', result: '核查结果', version: '版本' };

export function alertDetailPage(
  page: PageContext,
  a: AlertRow,
  o: { steps: AlertStep[]; errors: FieldError[]; values: Record<string, string | undefined>; defaultDue: string; canOpenCase: boolean },
): SafeHtml {
  const form = (step: AlertStep, fields: SafeHtml) => html`<form method="post" action="/workbench/supervision/alerts/${a.id}/${step}" class="stack card" novalidate>
  <h2>${STEP_LABEL[step]}</h2>
  ${csrfField(page)}<input type="hidden" name="version" value="${a.version}">
  ${fields}
  <button type="submit">${STEP_LABEL[step]}</button>
</form>`;
  return workbenchPage(page, {
    title: `${t(page, '监察预警', 'Alert')} ${a.supervisionNo}`,
    crumbs: [HOME, DASH, { label: a.supervisionNo }],
    body: html`<h1>${t(page, '监察预警', 'Alert')} ${a.supervisionNo}</h1>
${errorSummary(o.errors, FIELD_LABELS)}
<dl class="card facts">
  <dt>${t(page, '办件编号', 'Case no.')}</dt><dd>${o.canOpenCase ? html`<a href="/workbench/cases/${a.caseId}">${a.caseNo}</a>` : a.caseNo}</dd>
  <dt>${t(page, '预警内容', 'Content')}</dt><dd>${a.content}</dd>
  <dt>${t(page, '被监察单位', 'Organisation')}</dt><dd>${a.organisationName}（${a.jurisdictionCode}）</dd>
  <dt>${t(page, '预警类型', 'Type')}</dt><dd><span class="${LEVEL_BADGE[a.level]}">${LEVEL_LABEL[a.level]}</span>${a.redCard ? html` <span class="badge danger">${t(page, '红牌督办', 'Red card')}</span>` : ''}</dd>
  <dt>${t(page, '规则编号', 'Rule')}</dt><dd>${a.ruleNo}</dd>
  <dt>${t(page, '发送时间', 'Sent')}</dt><dd>${formatDateTime(a.sentAt)}</dd>
  <dt>${t(page, '状态', 'State')}</dt><dd>${STATE_LABEL[a.state]}（${formatDateTime(a.stateAt)}）${a.escalationLevel > 0 ? t(page, `，已升级至 ${a.escalatedTo ?? ''}`, `, escalated to ${a.escalatedTo ?? ''}`) : ''}</dd>
  <dt>${t(page, '责任部门', 'Responsible department')}</dt><dd>${a.responsibleDepartment}</dd>
  ${a.noticeText ? html`<dt>${t(page, '督办意见', 'Notice')}</dt><dd>${a.noticeText}</dd><dt>${t(page, '整改期限', 'Rectify by')}</dt><dd>${a.rectifyDueOn ?? '—'}</dd>` : ''}
  ${a.responseText ? html`<dt>${t(page, '回告内容', 'Reply')}</dt><dd>${a.responseText}</dd>` : ''}
  ${a.result ? html`<dt>${t(page, '处理结果', 'Result')}</dt><dd>${a.result}</dd>` : ''}
</dl>
${o.steps.includes('notice')
  ? form('notice', html`${textArea({ name: 'noticeText', label: t(page, '督办意见', 'Notice'), value: o.values.noticeText ?? '', required: true, rows: 4, errors: o.errors })}
  ${textField({ name: 'rectifyDueOn', type: 'date', label: t(page, '整改期限', 'Rectify by'), value: o.values.rectifyDueOn ?? o.defaultDue, required: true, hint: t(page, '默认按规则的整改工作日数计算', 'Defaults to the rule’s working days'), errors: o.errors })}
  <div class="field"><input type="checkbox" id="f-redCard" name="redCard"${o.values.redCard ? html` checked` : ''}> <label for="f-redCard">${t(page, '红牌督办（情节严重）', 'Red card (serious case)')}</label></div>`)
  : ''}
${o.steps.includes('respond') ? form('respond', textArea({ name: 'responseText', label: t(page, '回告内容', 'Reply'), value: o.values.responseText ?? '', required: true, rows: 4, errors: o.errors })) : ''}
${o.steps.includes('verify') ? form('verify', textField({ name: 'result', label: t(page, '核查结果', 'Verification result'), value: o.values.result ?? '', required: true, maxLength: 500, errors: o.errors })) : ''}
${o.steps.includes('close') ? form('close', textField({ name: 'result', label: t(page, '办结意见', 'Closing remark'), value: o.values.result ?? '', required: a.state === 'ALERT', maxLength: 500, errors: o.errors })) : ''}`,
  });
}

export function rulesPage(page: PageContext, rules: RuleRow[], o: { canEdit: boolean; errors: FieldError[]; editing?: string }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '监察规则', 'Supervision rules'),
    crumbs: [HOME, DASH, { label: t(page, '监察规则', 'Rules') }],
    body: html`<h1>${t(page, '监察规则', 'Supervision rules')}</h1>
${errorSummary(o.errors, { name: '规则名称', threshold: '阈值', recipients: '接收人', escalation: '升级方式', rectifyDays: '整改工作日' })}
${rules.length === 0 ? html`<p class="empty">${t(page, '尚未配置监察规则。', 'No rules yet.')}</p>` : ''}
${rules.map((r) =>
  o.canEdit
    ? html`<form method="post" action="/workbench/supervision/rules/${r.ruleNo}" class="stack card" novalidate>
  <h2>${r.ruleNo}：${r.name}</h2>
  <p class="muted">${t(page, `监控事件 ${r.trigger} · ${r.scope === 'node' ? '环节' : '办件'} · ${r.level === 'RED' ? '红牌' : '黄牌'}`, `Trigger ${r.trigger} · ${r.scope} · ${r.level}`)}</p>
  ${csrfField(page)}<input type="hidden" name="version" value="${r.version}">
  ${textField({ name: 'name', label: t(page, '规则名称', 'Name'), value: r.name, required: true, maxLength: 60, errors: o.editing === r.ruleNo ? o.errors : [] })}
  ${textField({ name: 'threshold', label: t(page, '阈值', 'Threshold'), value: r.threshold, required: true, maxLength: 200, errors: o.editing === r.ruleNo ? o.errors : [] })}
  ${textField({ name: 'recipients', label: t(page, '接收人', 'Recipients'), value: r.recipients, required: true, maxLength: 200, errors: o.editing === r.ruleNo ? o.errors : [] })}
  ${textField({ name: 'escalation', label: t(page, '升级方式', 'Escalation'), value: r.escalation, required: true, maxLength: 200, errors: o.editing === r.ruleNo ? o.errors : [] })}
  ${textField({ name: 'rectifyDays', type: 'number', label: t(page, '整改期限（工作日）', 'Rectification (working days)'), value: String(r.rectifyDays), required: true, errors: o.editing === r.ruleNo ? o.errors : [] })}
  <div class="field"><input type="checkbox" id="f-enabled-${r.ruleNo}" name="enabled"${r.enabled ? html` checked` : ''}> <label for="f-enabled-${r.ruleNo}">${t(page, '启用', 'Enabled')}</label></div>
  <button type="submit">${t(page, '保存', 'Save')}</button>
</form>`
    : html`<section class="card"><h2>${r.ruleNo}：${r.name}</h2><dl class="facts">
  <dt>${t(page, '监控事件', 'Trigger')}</dt><dd>${r.trigger}</dd><dt>${t(page, '级别', 'Level')}</dt><dd>${r.level === 'RED' ? '红牌' : '黄牌'}</dd>
  <dt>${t(page, '阈值', 'Threshold')}</dt><dd>${r.threshold}</dd><dt>${t(page, '接收人', 'Recipients')}</dt><dd>${r.recipients}</dd>
  <dt>${t(page, '升级方式', 'Escalation')}</dt><dd>${r.escalation}</dd><dt>${t(page, '整改期限', 'Rectification')}</dt><dd>${t(page, `${r.rectifyDays} 个工作日`, `${r.rectifyDays} working days`)}</dd>
  <dt>${t(page, '状态', 'Status')}</dt><dd>${r.enabled ? '启用' : '停用'}</dd></dl></section>`,
)}`,
  });
}
