import { describeBreak, type VerifyResult } from '../../../platform/audit/audit-verify.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { AuditEntryRow } from '../audit-entry.repository.ts';
import { FILTER_LABELS, OUTCOMES, filterParams, type AuditQuery } from '../audit-filter.ts';
import { ACTOR_KIND_LABEL, OUTCOME_BADGE, OUTCOME_LABEL, OUTCOME_LABEL_EN, roleLabels, shanghaiTime } from '../audit-presenter.ts';

const LIST_PATH = '/workbench/audit';

function href(path: string, params: Record<string, string>): string {
  const qs = new URLSearchParams(params).toString();
  return qs ? `${path}?${qs}` : path;
}

function errorSummary(page: PageContext, errors: FieldError[]): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1">
  <h2>${t(page, `筛选条件有 ${errors.length} 处需要修改`, `${errors.length} filter value(s) need correcting`)}</h2>
  <ul>${errors.map((e) => html`<li><a href="#f-${e.field}">${FILTER_LABELS[e.field] ?? e.field}：${e.message}</a></li>`)}</ul>
</div>`;
}

function field(page: PageContext, name: keyof AuditQuery, label: string, value: string | undefined, errors: FieldError[], type: 'text' | 'date' = 'text', hint?: string): SafeHtml {
  const err = errors.find((e) => e.field === name)?.message;
  const id = `f-${name}`;
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="${id}">${label}</label>
  ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
  <input id="${id}" name="${name}" type="${type}" maxlength="200"${attr('value', value ?? null)}${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', [hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || null)}>
</div>`;
}

function filterForm(page: PageContext, q: AuditQuery, errors: FieldError[]): SafeHtml {
  const outcomeErr = errors.find((e) => e.field === 'outcome')?.message;
  return html`<form method="get" action="${LIST_PATH}" class="filters" aria-label="${t(page, '筛选审计日志', 'Filter the audit trail')}">
  ${field(page, 'actor', t(page, '操作人（编号或姓名）', 'Actor (id or name)'), q.actor, errors)}
  ${field(page, 'objectType', t(page, '对象类型', 'Object type'), q.objectType, errors)}
  ${field(page, 'objectId', t(page, '对象编号', 'Object id'), q.objectId, errors)}
  ${field(page, 'action', t(page, '操作', 'Action'), q.action, errors, 'text', t(page, '以 * 结尾按前缀匹配', 'End with * for a prefix'))}
  <div class="field${outcomeErr ? ' has-error' : ''}"><label for="f-outcome">${t(page, '结果', 'Outcome')}</label>
  ${outcomeErr ? html`<p class="error" id="f-outcome-error">${outcomeErr}</p>` : ''}
  <select id="f-outcome" name="outcome"><option value="">${t(page, '全部', 'All')}</option>${OUTCOMES.map((o) => html`<option value="${o}"${attr('selected', o === q.outcome)}>${t(page, OUTCOME_LABEL[o], OUTCOME_LABEL_EN[o])}</option>`)}</select></div>
  ${field(page, 'from', t(page, '起始日期', 'From'), q.from, errors, 'date')}
  ${field(page, 'to', t(page, '截止日期', 'To'), q.to, errors, 'date')}
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
  <a href="${LIST_PATH}">${t(page, '清除条件', 'Clear')}</a>
</form>`;
}

function actorCell(page: PageContext, e: AuditEntryRow): SafeHtml {
  return html`${e.actorName}<br><span class="muted">${t(page, ACTOR_KIND_LABEL[e.actorKind] ?? e.actorKind, e.actorKind)}${e.actorId ? html` · <code>${e.actorId}</code>` : ''}</span>`;
}

function sealCell(page: PageContext, e: AuditEntryRow): SafeHtml {
  return e.seq === null
    ? html`<span class="badge warn">${t(page, '待封存', 'Pending')}</span>`
    : html`<span class="badge ok">${t(page, '已封存', 'Sealed')} #${e.seq}</span>`;
}

export interface AuditListView {
  query: AuditQuery;
  errors: FieldError[];
  rows: AuditEntryRow[];
  older: string | null;
  newer: string | null;
  organisationNames: Map<string, string>;
}

/** 审计日志: the audit administrator's view of the trail, newest first. */
export function auditListPage(page: PageContext, v: AuditListView): SafeHtml {
  const params = filterParams(v.query);
  const filtered = Object.keys(params).length > 0;
  const title = t(page, '审计日志', 'Audit trail');
  return workbenchPage(page, {
    title,
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: title }],
    body: html`<h1>${title}</h1>
<p class="muted">${t(page, '记录平台上每一项操作的操作人、岗位、对象与结果，按时间倒序排列；时间为北京时间。', 'Every action on the platform: who, in which role, on what, with which outcome — newest first, times in Beijing time.')}
<a href="${LIST_PATH}/verify">${t(page, '校验审计链', 'Verify the audit chain')}</a></p>
${errorSummary(page, v.errors)}
${filterForm(page, v.query, v.errors)}
<p><a class="button secondary" href="${href(`${LIST_PATH}/export.csv`, params)}" download>${t(page, '导出为 CSV', 'Export as CSV')}</a>
<span class="muted">${t(page, '导出操作本身也会记入审计日志。', 'Exporting is itself recorded in the audit trail.')}</span></p>
${v.rows.length === 0
  ? html`<p class="empty">${filtered || v.errors.length > 0 ? t(page, '没有符合条件的审计记录。', 'No audit entries match these filters.') : t(page, '还没有审计记录。', 'There are no audit entries yet.')}</p>`
  : html`<div class="table-scroll" tabindex="0" role="region" aria-label="审计记录列表（可横向滚动）"><table class="audit-table">
<caption class="visually-hidden">${t(page, '审计记录列表', 'Audit entries')}</caption>
<thead><tr>
  <th scope="col">${t(page, '时间', 'Time')}</th><th scope="col">${t(page, '操作人', 'Actor')}</th><th scope="col">${t(page, '岗位角色', 'Role')}</th>
  <th scope="col">${t(page, '所属机构', 'Organisation')}</th><th scope="col">${t(page, '操作', 'Action')}</th><th scope="col">${t(page, '对象', 'Object')}</th>
  <th scope="col">${t(page, '结果', 'Outcome')}</th><th scope="col">${t(page, '请求编号', 'Request id')}</th><th scope="col">IP</th><th scope="col">${t(page, '封存状态', 'Seal')}</th>
</tr></thead>
<tbody>${v.rows.map(
      (e) => html`<tr id="entry-${e.id}">
  <td><time datetime="${e.occurredAt.toISOString()}">${shanghaiTime(e.occurredAt)}</time></td>
  <td>${actorCell(page, e)}</td>
  <td>${roleLabels(e.actorRole)}</td>
  <td>${e.organisationId ? (v.organisationNames.get(e.organisationId) ?? html`<code>${e.organisationId}</code>`) : ''}</td>
  <td><code>${e.action}</code>${Object.keys(e.detail).length > 0 ? html`<br><span class="muted detail">${JSON.stringify(e.detail)}</span>` : ''}</td>
  <td>${e.objectType}${e.objectId ? html`<br><code>${e.objectId}</code>` : ''}</td>
  <td><span class="${OUTCOME_BADGE[e.outcome]}">${t(page, OUTCOME_LABEL[e.outcome], OUTCOME_LABEL_EN[e.outcome])}</span></td>
  <td><code>${e.requestId}</code></td>
  <td>${e.clientIp ?? ''}</td>
  <td>${sealCell(page, e)}</td>
</tr>`,
    )}</tbody></table></div>
<nav class="pager" aria-label="${t(page, '分页', 'Pages')}">
  ${v.newer ? html`<a href="${href(LIST_PATH, { ...params, after: v.newer })}" rel="prev">${t(page, '较新的记录', 'Newer')}</a>` : ''}
  ${v.newer || v.older ? html`<a href="${href(LIST_PATH, params)}">${t(page, '最新', 'Newest')}</a>` : ''}
  <span>${t(page, `本页 ${v.rows.length} 条`, `${v.rows.length} on this page`)}</span>
  ${v.older ? html`<a href="${href(LIST_PATH, { ...params, before: v.older })}" rel="next">${t(page, '较早的记录', 'Older')}</a>` : ''}
</nav>`}`,
  });
}

/** The result of a full chain verification. */
export function auditVerifyPage(page: PageContext, r: VerifyResult): SafeHtml {
  const title = t(page, '审计链校验', 'Audit chain verification');
  const seconds = (r.elapsedMs / 1000).toFixed(2);
  const broken = r.ok ? null : describeBreak(r.firstBroken);
  return workbenchPage(page, {
    title,
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '审计日志', 'Audit trail'), href: LIST_PATH }, { label: title }],
    body: html`<h1>${title}</h1>
<p class="muted">${t(page, '逐条重新计算每条已封存记录的 SM3 哈希，并检查与前一条记录的链接和链头。', 'Recomputes the SM3 hash of every sealed entry and checks each link to the previous entry and to the chain head.')}</p>
${r.ok
  ? html`<div class="card" role="status"><p class="lead"><span class="badge ok">${t(page, '完整', 'Intact')}</span> ${t(page, `审计链完整：已校验 ${r.count} 条记录，未发现篡改。`, `The audit chain is intact: ${r.count} entries verified, no tampering found.`)}</p>
<p class="muted">${t(page, `链头序号 ${r.headSeq}，用时 ${seconds} 秒。`, `Chain head at seq ${r.headSeq}; took ${seconds} s.`)}</p></div>`
  : html`<div class="error-summary" role="alert"><h2>${t(page, '审计链已断裂', 'The audit chain is broken')}</h2>
<p>${broken?.zh}</p><p lang="en">${broken?.en}</p>
<p>${t(page, `此前的 ${r.count} 条记录校验通过。请立即保全数据库并报告安全管理员。`, `The ${r.count} entries before it verified. Preserve the database and report to the security administrator now.`)}</p>
${r.firstBroken.id ? html`<p><a href="${href(LIST_PATH, { before: String(BigInt(r.firstBroken.id) + 1n) })}#entry-${r.firstBroken.id}">${t(page, '查看该记录', 'Show the entry')}</a></p>` : ''}</div>`}
${r.unsealed.count > 0
  ? html`<p class="card" role="status"><span class="badge warn">${t(page, '注意', 'Note')}</span> ${t(page, `有 ${r.unsealed.count} 条记录超过 ${r.unsealed.olderThanSeconds} 秒仍未封存（最早编号 ${r.unsealed.oldestId ?? ''}），请检查封存服务是否运行。`, `${r.unsealed.count} entries have waited more than ${r.unsealed.olderThanSeconds} s to be sealed (oldest id ${r.unsealed.oldestId ?? ''}); check that the sealer runs.`)}</p>`
  : ''}
<p><a href="${LIST_PATH}">${t(page, '返回审计日志', 'Back to the audit trail')}</a></p>`,
  });
}
