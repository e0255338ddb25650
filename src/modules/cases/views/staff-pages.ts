import type { FieldError } from '../../../platform/errors.ts';
import { displayValue, type FormDefinition, type FormValue } from '../../../platform/forms/index.ts';
import { errorSummary, formatDateTime, formatDeadline, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, otherPositionButtons, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { CaseEventRow, CaseMaterialRow, CaseRecord, PauseRow, RatingRow, WorkbenchBox } from '../case.repository.ts';
import type { Signal } from '../domain/case-clocks.ts';
import { SPECIAL_PROCEDURES } from '../domain/case-clocks.ts';
import { DEFAULT_NODES, nodeAt } from '../domain/nodes.ts';
import { CASE_STATES, STATE_LABEL, type CaseEvent, type CaseState } from '../domain/state-machine.ts';
import { documentAvailable, DOCUMENT_TITLES, type CaseDocumentKind } from '../documents.ts';
import { RATING_LEVELS } from '../commands/rate-case.ts';
import { appealStatus } from './rating-pages.ts';
import { staffLabel, type StaffPicker } from '../staff-picker.ts';
import { isDecisionTask } from '../commands/case-workflow.ts';
import type { FlowView } from '../service.ts';
import type { TaskRow } from '../../../platform/workflow/index.ts';
import { civil, materialTable, signalBadge, stateBadge, timeline } from './shared.ts';
import { civilToday, stepDeadlineCell } from './step-deadline.ts';

const wb = (page: PageContext) => ({ label: t(page, '工作台', 'Workbench'), href: '/workbench' });

export interface CaseListFilters {
  /** mine / copied: the workflow engine's 我的待办 and 抄送我的. */
  box: WorkbenchBox | 'mine' | 'copied';
  state?: CaseState | undefined;
  signal?: Signal | undefined;
  q?: string | undefined;
  org?: string | undefined;
}

export function caseListPage(
  page: PageContext,
  rows: CaseRecord[],
  o: { filters: CaseListFilters; counts: { todo: number; done: number; yellow: number; red: number; mine?: number; copied?: number }; page: number; pageSize: number; total: number; steps?: string[]; today?: string },
): SafeHtml {
  const f = o.filters;
  const today = o.today ?? civilToday();
  const flowBox = f.box === 'mine' || f.box === 'copied';
  const tab = (box: CaseListFilters['box'], label: string, n: number) =>
    html`<a href="/workbench/cases?box=${box}"${f.box === box ? html` aria-current="page" class="button"` : html` class="button secondary"`}>${label}（${n}）</a> `;
  return workbenchPage(page, {
    title: t(page, '办件', 'Cases'),
    crumbs: [wb(page), { label: t(page, '办件', 'Cases') }],
    body: html`<h1>${t(page, '办件', 'Cases')}</h1>
<nav aria-label="${t(page, '办件分类', 'Case boxes')}">${o.counts.mine !== undefined ? tab('mine', t(page, '我的待办', 'My tasks'), o.counts.mine) : ''}${tab('todo', t(page, '待办', 'To do'), o.counts.todo)}${tab('done', t(page, '已办结', 'Done'), o.counts.done)}${tab('all', t(page, '全部', 'All'), o.counts.todo + o.counts.done)}${o.counts.copied !== undefined ? tab('copied', t(page, '抄送我的', 'Copied to me'), o.counts.copied) : ''}</nav>
<p><span class="badge warn">${t(page, `黄牌 ${o.counts.yellow}`, `Yellow ${o.counts.yellow}`)}</span> <span class="badge bad">${t(page, `红牌 ${o.counts.red}`, `Red ${o.counts.red}`)}</span></p>
${flowBox ? html`<p class="muted">${f.box === 'mine' ? t(page, '按审批流程分派给您（或您的岗位）的环节。', 'Steps the workflow assigns to you or your role.') : t(page, '其他工作人员抄送给您阅知的办件。', 'Cases copied to you for information.')}</p>` : html`<form method="get" action="/workbench/cases" class="filters">
  <input type="hidden" name="box" value="${f.box}">${f.org ? html`<input type="hidden" name="org" value="${f.org}">` : ''}
  <div class="field"><label for="f-q">${t(page, '办件编号或事项', 'Number or service')}</label><input id="f-q" name="q" value="${f.q ?? ''}" maxlength="50"></div>
  <div class="field"><label for="f-state">${t(page, '状态', 'State')}</label><select id="f-state" name="state"><option value="">${t(page, '全部', 'All')}</option>${CASE_STATES.filter((s) => s !== 'DRAFT').map((s) => html`<option value="${s}"${f.state === s ? html` selected` : ''}>${STATE_LABEL[s]}</option>`)}</select></div>
  <div class="field"><label for="f-signal">${t(page, '预警', 'Signal')}</label><select id="f-signal" name="signal"><option value="">${t(page, '全部', 'All')}</option>${(['green', 'yellow', 'red', 'paused'] as const).map((s) => html`<option value="${s}"${f.signal === s ? html` selected` : ''}>${{ green: '正常', yellow: '黄牌', red: '红牌', paused: '暂停计时' }[s]}</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
</form>`}
${rows.length === 0
  ? html`<p class="empty">${f.box === 'todo' || f.box === 'mine' ? t(page, '没有待办的办件。', 'Nothing to do.') : f.box === 'copied' ? t(page, '没有抄送给您的办件。', 'Nothing copied to you.') : t(page, '没有符合条件的办件。', 'No cases match.')}</p>${otherPositionsHint(page, o.counts.todo + o.counts.done === 0 && !flowBox && !f.q && !f.state && !f.signal && !f.org)}`
  : html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '办件列表', 'Cases')}</caption>
<thead><tr><th scope="col">${t(page, '办件编号', 'Number')}</th><th scope="col">${t(page, '事项', 'Service')}</th><th scope="col">${t(page, '申请人', 'Applicant')}</th><th scope="col">${t(page, '状态', 'State')}</th><th scope="col">${t(page, '当前环节', 'Step')}</th><th scope="col">${t(page, '环节期限', 'Step due')}</th><th scope="col">${t(page, '期限', 'Due')}</th><th scope="col">${t(page, '预警', 'Signal')}</th><th scope="col">${t(page, '办理单位', 'Agency')}</th></tr></thead>
<tbody>${rows.map((c, i) => html`<tr><td><a href="/workbench/cases/${c.id}">${c.case_no}</a></td><td>${c.item_name}</td><td>${c.applicant_name_masked}</td><td>${stateBadge(page, c)}</td><td>${o.steps?.[i] ?? c.step_name ?? nodeAt(c.node_index)?.name ?? '—'}</td><td>${stepDeadlineCell(page, c, today)}</td><td>${civil(c.due_on)}</td><td>${signalBadge(page, c.signal)}</td><td>${c.organisation_name}</td></tr>`)}</tbody></table></div>
${pager({ path: '/workbench/cases', query: flowBox ? { box: f.box } : { box: f.box, state: f.state, signal: f.signal, q: f.q, org: f.org }, page: o.page, pageSize: o.pageSize, total: o.total })}`}`,
  });
}

/** The current position has no cases at all: the staff member's other positions, one click away. */
function otherPositionsHint(page: PageContext, noCasesHere: boolean): SafeHtml {
  if (!noCasesHere || page.actor.kind !== 'staff' || page.actor.positions.length < 2) return html``;
  return html`<div class="card stack"><p>${t(page, `当前岗位（${page.actor.position.organisationName}）暂无办件。您还在其他岗位任职，可切换后查看：`, `No cases in your current position (${page.actor.position.organisationName}). You also hold other positions:`)}</p><p>${otherPositionButtons(page, '/workbench/cases')}</p></div>`;
}

/** Buttons/forms per allowed action: only the actions the state and role allow are shown (policies sent to the page). */
function actionForms(page: PageContext, c: CaseRecord, events: CaseEvent[], errors: FieldError[], flow: FlowView | null): SafeHtml {
  const form = (action: string, title: string, fields: SafeHtml, button: string, cls = '') =>
    html`<form method="post" action="/workbench/cases/${c.id}/${action}" class="card stack" novalidate>${csrfField(page)}<input type="hidden" name="version" value="${c.version}">
<h3>${title}</h3>${fields}<button type="submit"${cls ? html` class="${cls}"` : ''}>${button}</button></form>`;
  const reason = (label: string, name = 'reason') => textArea({ name, label, rows: 3, required: true, errors });
  const out: SafeHtml[] = [];
  const node = nodeAt(c.node_index);
  if (events.includes('accept')) out.push(form('accept', t(page, '受理', 'Accept'), html`<p class="hint">${t(page, '材料齐全、符合法定形式的，予以受理并出具受理通知书。', 'Complete and in legal form.')}</p>`, t(page, '受理', 'Accept')));
  if (events.includes('requestCorrection'))
    out.push(form('correction', t(page, '一次性告知补正', 'Ask for corrections'), textArea({ name: 'items', label: t(page, '需要补正的全部内容（每行一项，可写“材料名称：问题”）', 'Everything to correct, one per line'), rows: 4, required: true, errors }), t(page, '发出补正告知', 'Send the notice')));
  if (events.includes('refuseAcceptance')) out.push(form('refuse-acceptance', t(page, '不予受理', 'Do not accept'), reason(t(page, '不予受理的理由', 'Reasons')), t(page, '不予受理', 'Do not accept'), 'danger'));
  // With the workflow engine, the steps the actor holds decide which forms show (通过 / 退回 / the decision).
  const myStep = flow?.mine.find((x) => !isDecisionTask(x)) ?? null;
  const atDecision = flow ? flow.open.length === 0 || flow.mine.some(isDecisionTask) : c.node_index === DEFAULT_NODES.length - 1;
  if (flow) {
    if (events.includes('passNode') && myStep)
      out.push(form('pass', t(page, `${myStep.name}环节：通过`, `${myStep.name}: pass`), textArea({ name: 'opinion', label: t(page, '办理意见', 'Opinion'), rows: 2, errors }), t(page, '通过，送下一环节', 'Pass')));
    if (events.includes('returnNode') && flow.mine.length > 0 && flow.returnTargets.length > 0)
      out.push(form('return', t(page, '退回', 'Return'), html`<div class="field"><label for="f-toStep">${t(page, '退回到', 'Return to')}</label><select id="f-toStep" name="toStep">${flow.returnTargets.map((n, i) => html`<option value="${n.nodeId}"${i === flow.returnTargets.length - 1 ? html` selected` : ''}>${n.name}</option>`)}</select></div>${reason(t(page, '退回理由', 'Reason'), 'opinion')}`, t(page, '退回', 'Return'), 'secondary'));
  } else {
    if (events.includes('passNode') && node && c.node_index !== DEFAULT_NODES.length - 1)
      out.push(form('pass', t(page, `${node.name}环节：通过`, `${node.name}: pass`), textArea({ name: 'opinion', label: t(page, '办理意见', 'Opinion'), rows: 2, errors }), t(page, '通过，送下一环节', 'Pass')));
    if (events.includes('returnNode') && c.node_index !== null && c.node_index > 0)
      out.push(form('return', t(page, '退回', 'Return'), html`<div class="field"><label for="f-toNode">${t(page, '退回到', 'Return to')}</label><select id="f-toNode" name="toNode">${DEFAULT_NODES.slice(0, c.node_index).map((n, i) => html`<option value="${i}">${n.name}</option>`)}</select></div>${reason(t(page, '退回理由', 'Reason'), 'opinion')}`, t(page, '退回', 'Return'), 'secondary'));
  }
  if (events.includes('approve') && atDecision) {
    out.push(form('approve', t(page, '准予许可', 'Grant'), html`${textField({ name: 'certificateNo', label: t(page, '许可证件编号（可在制证时填写）', 'Licence number'), maxLength: 60, errors })}${textArea({ name: 'reason', label: t(page, '审批意见', 'Opinion'), rows: 2, errors })}`, t(page, '准予许可', 'Grant')));
    out.push(form('refuse', t(page, '不予许可', 'Refuse'), reason(t(page, '不予许可的理由（将连同救济途径告知申请人）', 'Reasons')), t(page, '不予许可', 'Refuse'), 'danger'));
  }
  if (events.includes('startSpecial'))
    out.push(form('special-start', t(page, '启动特别程序（暂停计时）', 'Start a special procedure'), html`<div class="field"><label for="f-kind">${t(page, '程序类型（《行政许可法》第四十五条）', 'Type')}</label><select id="f-kind" name="kind">${Object.entries(SPECIAL_PROCEDURES).map(([k, v]) => html`<option value="${k}">${v}</option>`)}</select></div>${textField({ name: 'plannedDays', label: t(page, '预计所需天数', 'Planned days'), type: 'number', required: true, errors })}${reason(t(page, '理由和依据', 'Reason'))}`, t(page, '启动并书面告知申请人', 'Start'), 'secondary'));
  if (events.includes('endSpecial')) out.push(form('special-end', t(page, '结束特别程序（恢复计时）', 'End the special procedure'), reason(t(page, '特别程序结果', 'Result'), 'result'), t(page, '结束', 'End')));
  if (events.includes('extend') && c.clock_extended_days === 0) out.push(form('extend', t(page, '批准延期 10 个工作日', 'Extend by 10 working days'), reason(t(page, '延期理由（将告知申请人）', 'Reason')), t(page, '批准延期', 'Extend'), 'secondary'));
  if (events.includes('produceResult')) out.push(form('result', t(page, '制作结果文书', 'Produce the result'), c.decision === 'approve' ? textField({ name: 'certificateNo', label: t(page, '许可证件编号', 'Licence number'), value: c.certificate_no ?? '', required: true, maxLength: 60, errors }) : html``, t(page, '制作完成', 'Done')));
  if (events.includes('deliver'))
    out.push(form('deliver', t(page, '送达', 'Deliver'), html`<div class="field"><label for="f-method">${t(page, '送达方式', 'Method')}</label><select id="f-method" name="method"><option value="electronic">${t(page, '电子送达', 'Electronic')}</option><option value="collected">${t(page, '窗口领取', 'Collected')}</option><option value="mailed">${t(page, '邮寄', 'Mailed')}</option></select></div>${textField({ name: 'courierNo', label: t(page, '快递单号（邮寄时填写）', 'Courier number'), maxLength: 40, errors })}`, t(page, '确认送达并办结', 'Deliver and close')));
  if (events.includes('void')) out.push(form('void', t(page, '作废（业务无效）', 'Void'), reason(t(page, '作废理由', 'Reason')), t(page, '作废', 'Void'), 'danger'));
  if (events.includes('delete')) out.push(form('delete', t(page, '删除（录入错误）', 'Delete'), reason(t(page, '删除理由', 'Reason')), t(page, '删除', 'Delete'), 'danger'));
  if (out.length === 0) return html`<p class="muted">${t(page, '当前状态下您没有可执行的办理操作。', 'No actions for you in this state.')}</p>`;
  return html`${out}`;
}

export function caseDetailPage(
  page: PageContext,
  o: {
    record: CaseRecord;
    events: CaseEventRow[];
    materials: CaseMaterialRow[];
    pauses: PauseRow[];
    actions: CaseEvent[];
    canUnmask: boolean;
    unmasked: Record<string, FormValue> | null;
    form: FormDefinition | null;
    rating: RatingRow | null;
    errors: FieldError[];
    /** The case's workflow (null: not yet accepted, or no engine). */
    flow?: FlowView | null;
    /** Receivers for 转办 / 委托 / 加签 / 抄送 (null: the directory cannot list; the forms take account ids). */
    staffPicker?: StaffPicker | null;
    /** Today (Asia/Shanghai, YYYY-MM-DD) for the step colour; default the real date. */
    today?: string;
    /** 一件事: the bundle card (life-event-pages.ts staffBundleCard) when the case is one of a bundle. */
    bundle?: SafeHtml;
  },
): SafeHtml {
  const c = o.record;
  const values = { ...c.form_values, ...(o.unmasked ?? {}) } as Record<string, FormValue>;
  const label = (name: string) => o.form?.fields.find((f) => f.name === name)?.label ?? name;
  const show = (name: string, v: FormValue) => {
    const field = o.form?.fields.find((f) => f.name === name);
    return field ? displayValue(field, v) : Array.isArray(v) ? v.join('、') : String(v);
  };
  const docs: CaseDocumentKind[] = (['receipt', 'acceptance', 'non-acceptance', 'correction', 'decision'] as const).filter((k) => documentAvailable(k, c));
  return workbenchPage(page, {
    title: `${c.case_no ?? ''} ${c.item_name}`,
    crumbs: [wb(page), { label: t(page, '办件', 'Cases'), href: '/workbench/cases' }, { label: c.case_no ?? '' }],
    body: html`<h1>${c.item_name} <span class="muted">${c.case_no}</span></h1>
${errorSummary(o.errors, { reason: '理由', opinion: '意见', items: '补正内容', kind: '程序类型', plannedDays: '预计所需天数', result: '结果', certificateNo: '许可证件编号', courierNo: '快递单号', toNode: '退回到', toStep: '退回到', to: '接收人', taskId: '环节', comment: '说明' })}
<div class="card"><dl class="facts">
  <dt>${t(page, '状态', 'State')}</dt><dd>${stateBadge(page, c)} ${signalBadge(page, c.signal)}</dd>
  <dt>${t(page, '当前环节', 'Node')}</dt><dd>${c.step_name ?? nodeAt(c.node_index)?.name ?? '—'}</dd>
  ${c.state === 'IN_PROCESS' && c.step_due_on ? html`<dt>${t(page, '环节期限', 'Step due')}</dt><dd>${stepDeadlineCell(page, c, o.today ?? civilToday())}</dd>` : ''}
  <dt>${t(page, '期限', 'Due')}</dt><dd>${c.clock_paused_since ? t(page, `暂停计时（自 ${civil(c.clock_paused_since)} 起）`, 'Paused') : c.due_on ? civil(c.due_on) : '—'}${c.clock_kind ? html` <span class="muted">（${{ notice: '补正告知期限', decision: '审查决定期限', issue: '颁证期限' }[c.clock_kind]}${c.clock_extended_days ? `，已延期 ${c.clock_extended_days} 个工作日` : ''}）</span>` : ''}</dd>
  <dt>${t(page, '收件时间', 'Received')}</dt><dd>${formatDateTime(c.received_at)}</dd>
  ${c.acceptance_no ? html`<dt>${t(page, '受理文书编号', 'Acceptance no.')}</dt><dd>${c.acceptance_no}</dd>` : ''}
  <dt>${t(page, '事项版本', 'Item version')}</dt><dd>${t(page, `第 ${c.item_version} 版`, `Version ${c.item_version}`)}</dd>
  <dt>${t(page, '办理单位', 'Agency')}</dt><dd>${c.organisation_name}</dd>
</dl></div>
${o.bundle ?? ''}
<h2>${t(page, '申请人信息', 'Applicant')}</h2>
<div class="card"><dl class="facts">
  <dt>${t(page, '申请人', 'Applicant')}</dt><dd>${o.unmasked ? String(o.unmasked.displayName ?? c.applicant_name_masked) : c.applicant_name_masked}</dd>
  ${Object.entries(values).filter(([k]) => k !== 'displayName').map(([k, v]) => html`<dt>${label(k)}</dt><dd>${show(k, v)}</dd>`)}
</dl>
${o.canUnmask && !o.unmasked ? html`<form method="post" action="/workbench/cases/${c.id}/unmask" class="inline-form">${csrfField(page)}<button type="submit" class="secondary">${t(page, '查看完整个人信息（将记录审计）', 'Show full personal data (audited)')}</button></form>` : ''}
${o.unmasked ? html`<p class="muted">${t(page, '已显示完整个人信息，本次查看已记入审计日志。', 'Shown in full; this view is audited.')}</p>` : ''}
</div>
<h2>${t(page, '申请材料', 'Materials')}</h2>
${materialTable(page, o.materials, (m) => `/workbench/cases/${c.id}/materials/${m.id}`)}
${docs.length ? html`<h2>${t(page, '文书', 'Documents')}</h2><ul class="card">${docs.map((k) => html`<li><a href="/workbench/cases/${c.id}/documents/${k}.pdf">${DOCUMENT_TITLES[k]}（PDF）</a></li>`)}</ul>` : ''}
${o.pauses.length ? html`<h2>${t(page, '特别程序', 'Special procedures')}</h2><ul class="card">${o.pauses.map((p) => html`<li>${SPECIAL_PROCEDURES[p.kind as keyof typeof SPECIAL_PROCEDURES] ?? p.kind}：${civil(p.from_on)} – ${p.to_on ? civil(p.to_on) : t(page, '进行中', 'ongoing')}（${p.reason}${p.result ? `；结果：${p.result}` : ''}）</li>`)}</ul>` : ''}
${o.rating ? html`<h2>${t(page, '评价', 'Rating')}</h2><p class="card">${RATING_LEVELS[o.rating.score]}（${o.rating.score}/5）${o.rating.rectification_state === 'VOIDED' ? t(page, '【申诉成立，已作废，不计入统计】', '[voided on appeal] ') : ''}${o.rating.reasons.join('、')} ${o.rating.comment}</p>` : ''}
<h2>${t(page, '办理操作', 'Actions')}</h2>
${actionForms(page, c, o.actions, o.errors, o.flow ?? null)}
${o.flow ? flowSection(page, c, o.flow, o.errors, o.staffPicker ?? null) : ''}
<h2>${t(page, '办理过程', 'Timeline')}</h2>
${timeline(page, o.events, { forApplicant: false })}`,
  });
}

export function ratingsPage(page: PageContext, rows: (RatingRow & { case_no: string | null; item_name: string })[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '差评整改', 'Bad reviews'),
    crumbs: [wb(page), { label: t(page, '差评整改', 'Bad reviews') }],
    body: html`<h1>${t(page, '差评整改', 'Bad reviews')}</h1>
<p><a href="/workbench/ratings/appealed">${t(page, '本单位的差评申诉记录', 'Our rating appeals')}</a></p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '没有待整改的差评。', 'No bad reviews to handle.')}</p>`
  : html`${rows.map(
      (r) => html`<form method="post" action="/workbench/ratings/${r.case_id}/feedback" class="card stack">${csrfField(page)}<input type="hidden" name="version" value="${r.version}">
<h2>${r.item_name} <span class="muted">${r.case_no}</span></h2>
<p>${RATING_LEVELS[r.score]}（${r.score}/5）：${r.reasons.join('、')} ${r.comment}</p>
<p class="muted">${t(page, `反馈期限：${civil(r.rectification_due_on)}`, `Due ${civil(r.rectification_due_on)}`)}</p>
${appealStatus(page, r)}
<div class="field"><label for="f-outcome-${r.id}">${t(page, '处理结果', 'Outcome')}</label><select id="f-outcome-${r.id}" name="outcome"><option value="rectified">${t(page, '已整改', 'Rectified')}</option><option value="explained">${t(page, '情况说明', 'Explained')}</option></select></div>
<div class="field"><label for="f-feedback-${r.id}">${t(page, '整改情况或说明（反馈给评价人）', 'Feedback to the rater')}</label><textarea id="f-feedback-${r.id}" name="feedback" rows="3" required></textarea></div>
<button type="submit">${t(page, '提交反馈', 'Send feedback')}</button></form>`,
    )}
${pager({ path: '/workbench/ratings', query: {}, ...p })}`}`,
  });
}


const ROLE_NAME: Record<string, string> = { clerk: '办事员', org_head: '部门负责人', jurisdiction_supervisor: '监督员', province_supervisor: '省级监督员' };
const OUTCOME_NAME: Record<string, string> = { approve: '准予', refuse: '不予许可', forward: '转报', returned: '退回', removed: '减签', read: '已阅' };
const TASK_STATE: Record<string, string> = { open: '待办', done: '已办', cancelled: '已取消' };

function handlerOf(x: TaskRow): string {
  if (x.assignee) return x.delegatedFrom ? '受托人' : x.transferredFrom ? '转办接收人' : '指定办理人';
  return x.candidateRoles.map((r) => ROLE_NAME[r] ?? r).join('、') || '—';
}

/**
 * 审批流程: the definition and version the case runs on, the open steps with the approval
 * operations the actor may use on them (转办, 委托, 加签, 减签, 催办), 抄送, and the history.
 * Receivers are staff account numbers (工作人员账号编号); the engine checks who may act.
 */
function flowSection(page: PageContext, c: CaseRecord, flow: FlowView, errors: FieldError[], picker: StaffPicker | null): SafeHtml {
  const op = (task: TaskRow | null, action: string, title: string, fields: SafeHtml, button: string, cls = 'secondary') =>
    html`<form method="post" action="/workbench/cases/${c.id}/flow/${action}" class="card stack" novalidate>${csrfField(page)}<input type="hidden" name="version" value="${c.version}">${task ? html`<input type="hidden" name="taskId" value="${task.id}">` : ''}
<h4>${title}</h4>${fields}<button type="submit" class="${cls}">${button}</button></form>`;
  // Several forms on one page carry the same field names: each input gets its own id.
  const input = (name: string, id: string, label: string, required: boolean) => {
    const err = required ? errors.find((e) => e.field === name) : undefined;
    return html`<div class="field${err ? ' has-error' : ''}"><label for="${id}">${label}${required ? html` <span aria-hidden="true">*</span>` : ''}</label>${err ? html`<p class="error" id="${id}-error">${err.message}</p>` : ''}<input id="${id}" name="${name}" maxlength="${name === 'to' ? 2000 : 500}"${required ? html` required aria-required="true"` : ''}${err ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}></div>`;
  };
  // With the staff directory: a select of active staff (names and positions); 抄送 a multiple select of the jurisdiction's staff.
  const choicesFor = (copy: boolean) => (!picker ? null : copy ? picker.jurisdiction : picker.organisation.filter((s) => page.actor.kind !== 'staff' || s.accountId !== page.actor.accountId));
  // With the staff directory and nobody to choose, the operation is not offered (a note says why).
  const nobody = (copy: boolean) => choicesFor(copy)?.length === 0;
  const to = (id: string, label: string) => {
    const copy = id === 'f-copy-to';
    const choices = choicesFor(copy);
    if (!choices) return input('to', id, label, true);
    const err = errors.find((e) => e.field === 'to');
    const pickLabel = copy ? t(page, '抄送人（可多选）', 'Receivers (one or more)') : label.replace(/（.*）$/, '');
    return html`<div class="field${err ? ' has-error' : ''}"><label for="${id}">${pickLabel} <span aria-hidden="true">*</span></label>${err ? html`<p class="error" id="${id}-error">${err.message}</p>` : ''}
<select id="${id}" name="to"${copy ? html` multiple size="${Math.min(6, choices.length)}"` : ''} required aria-required="true"${err ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${copy ? '' : html`<option value="">${t(page, '请选择', 'Choose')}</option>`}${choices.map((s) => html`<option value="${s.accountId}">${staffLabel(s, copy)}</option>`)}</select></div>`;
  };
  const note = (id: string, label = t(page, '说明（可选）', 'Note (optional)')) => input('comment', id, label, false);
  const processing = c.state === 'IN_PROCESS';
  const forms: SafeHtml[] = [];
  if (processing && nobody(false)) {
    if (flow.mine.length > 0) forms.push(html`<p class="muted">${t(page, '本单位没有其他在岗工作人员，不能转办、委托或加签。', 'No colleague in your organisation to transfer, delegate or add a signer to.')}</p>`);
  } else if (processing) {
    for (const task of flow.mine) {
      forms.push(op(task, 'transfer', t(page, `转办“${task.name}”`, `Transfer “${task.name}”`), html`${to(`f-transfer-${task.id}`, t(page, '接收人（本单位工作人员账号编号）', 'Receiver (staff account id)'))}${note(`f-transfer-note-${task.id}`)}`, t(page, '转办', 'Transfer')));
      if (!task.delegatedFrom) forms.push(op(task, 'delegate', t(page, `委托办理“${task.name}”`, `Delegate “${task.name}”`), html`${to(`f-delegate-${task.id}`, t(page, '受托人（本单位工作人员账号编号）', 'Delegate (staff account id)'))}${note(`f-delegate-note-${task.id}`)}`, t(page, '委托', 'Delegate')));
      if (task.miIndex !== null) forms.push(op(task, 'add-signer', t(page, `加签“${task.name}”`, `Add a signer to “${task.name}”`), to(`f-add-${task.id}`, t(page, '加签人（本单位工作人员账号编号）', 'Signer (staff account id)')), t(page, '加签', 'Add signer')));
    }
  }
  if (processing) {
    for (const task of flow.open.filter((x) => x.miIndex !== null)) {
      forms.push(op(task, 'remove-signer', t(page, `减签“${task.name}”（部门负责人）`, `Remove signer of “${task.name}”`), note(`f-remove-note-${task.id}`, t(page, '减签理由', 'Reason')), t(page, '减签', 'Remove signer'), 'danger'));
    }
  }
  return html`<h2>${t(page, '审批流程', 'Workflow')}</h2>
<p class="muted">${t(page, `流程：${flow.key}（第 ${flow.version} 版${flow.state === 'running' ? '' : flow.state === 'completed' ? '，已结束' : '，已终止'}）。办件始终按受理时的流程版本办理。`, `Process ${flow.key}, version ${flow.version}.`)}</p>
${flow.open.length === 0
  ? html`<p class="empty">${t(page, '当前没有待办环节。', 'No open steps.')}</p>`
  : html`<div class="table-scroll"><table><caption>${t(page, '当前环节', 'Open steps')}</caption>
<thead><tr><th scope="col">${t(page, '环节', 'Step')}</th><th scope="col">${t(page, '办理人', 'Handler')}</th><th scope="col">${t(page, '环节期限', 'Due')}</th><th scope="col">${t(page, '催办', 'Urged')}</th><th scope="col">${t(page, '操作', 'Action')}</th></tr></thead>
<tbody>${flow.open.map(
      (x) => html`<tr><td>${x.name}${flow.mine.some((m) => m.id === x.id) ? html` <span class="badge">${t(page, '由我办理', 'Mine')}</span>` : ''}</td><td>${handlerOf(x)}</td><td>${x.dueAt ? formatDeadline(x.dueAt) : '—'}</td><td>${x.urgeCount ? t(page, `${x.urgeCount} 次`, `${x.urgeCount}×`) : '—'}</td>
<td><form method="post" action="/workbench/cases/${c.id}/flow/urge" class="inline-form">${csrfField(page)}<input type="hidden" name="version" value="${c.version}"><input type="hidden" name="taskId" value="${x.id}"><button type="submit" class="secondary" aria-label="${t(page, `催办“${x.name}”`, `Urge “${x.name}”`)}">${t(page, '催办', 'Urge')}</button></form></td></tr>`,
    )}</tbody></table></div>`}
<h3>${t(page, '审批操作', 'Approval operations')}</h3>
${forms}
${nobody(true)
  ? html`<p class="muted">${t(page, '本辖区没有在岗工作人员可以抄送。', 'No staff in this jurisdiction to copy to.')}</p>`
  : op(null, 'copy', t(page, '抄送', 'Copy to'), html`${to('f-copy-to', t(page, '抄送人（工作人员账号编号，多个用逗号分隔）', 'Receivers (staff account ids)'))}${note('f-copy-note')}`, t(page, '抄送', 'Copy'))}
<h3>${t(page, '流转记录', 'History')}</h3>
<ol class="card timeline">${flow.history.map(
    (x) => html`<li><strong>${x.name}</strong> <span class="muted">${TASK_STATE[x.state] ?? x.state}${x.outcome ? `（${OUTCOME_NAME[x.outcome] ?? x.outcome}）` : ''} · ${formatDateTime(x.completedAt ?? x.createdAt)}</span>${x.comment ? html`<div class="opinion">${x.comment}</div>` : ''}</li>`,
  )}</ol>`;
}
