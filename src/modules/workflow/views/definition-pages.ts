import { ROLE_LABELS } from '../../../platform/auth/permissions.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { TASK_ROLES, type DefinitionRow, type DefinitionStatus, type DefinitionSummary, type WorkflowModel } from '../../../platform/workflow/index.ts';
import type { DefinitionAction } from '../policies.ts';

const STATUS: Record<DefinitionStatus, [string, string, string]> = {
  draft: ['草稿', 'Draft', 'badge warn'],
  published: ['已发布', 'Published', 'badge ok'],
  superseded: ['已被取代', 'Superseded', 'badge'],
};
const LABELS = { key: '流程标识', name: '流程名称', xml: 'BPMN 定义', comment: '修改说明' };

const status = (page: PageContext, s: DefinitionStatus) => {
  const [zh, en, cls] = STATUS[s];
  return html`<span class="${cls}">${t(page, zh, en)}</span>`;
};
const owner = (page: PageContext, d: Pick<DefinitionSummary, 'organisationId' | 'organisationName'>) =>
  d.organisationId === '' ? t(page, '全省通用', 'Province-wide') : d.organisationName;
const crumbsBase = (page: PageContext) => [
  { label: t(page, '工作台', 'Workbench'), href: '/workbench' },
  { label: t(page, '流程定义', 'Workflows'), href: '/workbench/workflows' },
];

export function definitionList(
  page: PageContext,
  rows: (DefinitionSummary & { publishedVersion: number | null })[],
  p: { page: number; pageSize: number; total: number; canCreate: boolean },
): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '流程定义', 'Workflow definitions'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '流程定义', 'Workflows') }],
    body: html`<h1>${t(page, '流程定义', 'Workflow definitions')}</h1>
<p class="hint">${t(page, '每个事项可按实施编码配置自己的审批流程（BPMN 2.0）；没有配置的事项使用全省通用流程：受理 → 审查 → 决定 → 办结。已在办理的案件继续使用其启动时的版本。', 'Each item may have its own approval flow (BPMN 2.0), keyed by its implementation code; items without one use the province-wide default. Running cases stay on the version they started with.')}</p>
${p.canCreate ? html`<p><a class="button" href="/workbench/workflows/new">${t(page, '新建流程定义', 'New workflow')}</a></p>` : ''}
${rows.length === 0
  ? html`<p class="empty">${t(page, '还没有流程定义。', 'There are no workflow definitions yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '流程定义列表', 'Workflow definitions')}</caption>
<thead><tr><th scope="col">${t(page, '流程名称', 'Name')}</th><th scope="col">${t(page, '标识', 'Key')}</th><th scope="col">${t(page, '所属单位', 'Owner')}</th><th scope="col">${t(page, '最新版本', 'Latest')}</th><th scope="col">${t(page, '运行版本', 'Running')}</th><th scope="col">${t(page, '更新时间', 'Updated')}</th></tr></thead>
<tbody>${rows.map(
      (d) => html`<tr><td><a href="/workbench/workflows/${d.id}">${d.name}</a></td><td><code>${d.key}</code></td><td>${owner(page, d)}</td><td>${t(page, `第 ${d.version} 版`, `v${d.version}`)} ${status(page, d.status)}</td><td>${d.publishedVersion ? t(page, `第 ${d.publishedVersion} 版`, `v${d.publishedVersion}`) : t(page, '未发布', 'None')}</td><td>${formatDateTime(d.createdAt)}</td></tr>`,
    )}</tbody></table>
${pager({ path: '/workbench/workflows', query: {}, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

/** The steps of a definition in words, so the flow is readable without the diagram. */
function stepsTable(page: PageContext, model: WorkflowModel): SafeHtml {
  const nodes = Object.values(model.nodes).filter((n) => n.type === 'userTask' || n.type === 'exclusiveGateway' || n.type === 'parallelGateway' || n.type === 'timerCatch' || n.type === 'boundaryTimer');
  if (nodes.length === 0) return html``;
  const kind = (type: string) =>
    ({ userTask: t(page, '办理步骤', 'Step'), exclusiveGateway: t(page, '条件分支', 'Decision'), parallelGateway: t(page, '并行（并联审批）', 'Parallel'), timerCatch: t(page, '等待', 'Wait'), boundaryTimer: t(page, '超时处理', 'Time-out') })[type] ?? type;
  return html`<table><caption>${t(page, '流程步骤', 'Steps')}</caption>
<thead><tr><th scope="col">${t(page, '元素', 'Element')}</th><th scope="col">${t(page, '名称', 'Name')}</th><th scope="col">${t(page, '类型', 'Type')}</th><th scope="col">${t(page, '办理角色与时限', 'Roles and limit')}</th></tr></thead>
<tbody>${nodes.map((n) => {
    let detail = '';
    if (n.type === 'userTask') {
      detail = n.roles.map((r) => ROLE_LABELS[r]).join('、');
      if (n.limit) detail += t(page, `；${n.limit.n} 个${n.limit.unit === 'G' ? '工作日' : '自然日'}`, `; ${n.limit.n} ${n.limit.unit === 'G' ? 'working' : 'calendar'} days`);
      if (n.multiInstance) detail += t(page, `；${n.multiInstance.sequential ? '依次' : '同时'}会签`, `; ${n.multiInstance.sequential ? 'sequential' : 'parallel'} countersign`);
    } else if (n.type === 'timerCatch' || n.type === 'boundaryTimer') {
      detail = `${n.timer.duration}${n.timer.workingDays ? t(page, '（工作日）', ' (working days)') : ''}`;
    }
    return html`<tr><td><code>${n.id}</code></td><td>${n.name}</td><td>${kind(n.type)}</td><td>${detail}</td></tr>`;
  })}</tbody></table>`;
}

export function definitionDetail(page: PageContext, d: DefinitionRow, versions: DefinitionSummary[], actions: DefinitionAction[], instances: number): SafeHtml {
  return workbenchPage(page, {
    title: `${d.name}（${t(page, `第 ${d.version} 版`, `v${d.version}`)}）`,
    crumbs: [...crumbsBase(page), { label: d.name }],
    body: html`<h1>${d.name}</h1>
<p>${status(page, d.status)} <span class="muted">${t(page, '标识', 'Key')} <code>${d.key}</code> · ${owner(page, d)} · ${t(page, `第 ${d.version} 版`, `Version ${d.version}`)} · ${t(page, `${instances} 个流程实例使用此版本`, `${instances} instances on this version`)}</span></p>
${d.comment ? html`<p>${t(page, '修改说明：', 'Change note: ')}${d.comment}</p>` : ''}
<p>${actions.includes('edit') ? html`<a class="button secondary" href="/workbench/workflows/${d.id}/edit">${t(page, '基于此版本修改', 'Edit from this version')}</a> ` : ''}${
      actions.includes('publish')
        ? html`<form method="post" action="/workbench/workflows/${d.id}/publish" class="inline-form">${csrfField(page)}<button type="submit">${t(page, '发布此版本', 'Publish this version')}</button></form> `
        : ''
    }<a href="/workbench/workflows/${d.id}/bpmn" download="${d.key}-v${d.version}.bpmn">${t(page, '下载 BPMN 文件', 'Download BPMN')}</a></p>
${stepsTable(page, d.model)}
<details><summary>${t(page, 'BPMN XML', 'BPMN XML')}</summary><pre class="code">${d.xml}</pre></details>
<h2>${t(page, '版本', 'Versions')}</h2>
<table><caption class="visually-hidden">${t(page, '版本列表', 'Versions')}</caption>
<thead><tr><th scope="col">${t(page, '版本', 'Version')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '保存时间', 'Saved')}</th><th scope="col">${t(page, '发布时间', 'Published')}</th><th scope="col">${t(page, '说明', 'Note')}</th></tr></thead>
<tbody>${versions.map(
      (v) => html`<tr><td>${v.id === d.id ? t(page, `第 ${v.version} 版（当前查看）`, `v${v.version} (viewing)`) : html`<a href="/workbench/workflows/${v.id}">${t(page, `第 ${v.version} 版`, `v${v.version}`)}</a>`}</td><td>${status(page, v.status)}</td><td>${formatDateTime(v.createdAt)}</td><td>${formatDateTime(v.publishedAt)}</td><td>${v.comment}</td></tr>`,
    )}</tbody></table>`,
  });
}

export function definitionForm(
  page: PageContext,
  opts: { base?: DefinitionSummary; values: { key?: string; name?: string; xml?: string; comment?: string }; errors: FieldError[] },
): SafeHtml {
  const editing = Boolean(opts.base);
  const title = editing ? t(page, '修改流程定义', 'Edit workflow') : t(page, '新建流程定义', 'New workflow');
  return workbenchPage(page, {
    title,
    crumbs: [...crumbsBase(page), ...(opts.base ? [{ label: opts.base.name, href: `/workbench/workflows/${opts.base.id}` }] : []), { label: title }],
    body: html`<h1>${title}</h1>
<link rel="stylesheet" href="/assets/workflow/designer.css">
${errorSummary(opts.errors, LABELS)}
<p class="hint">${t(page, '保存后成为新的草稿版本；发布前，正在运行的版本不受影响。格式有误的定义不会保存，并会指出出错的元素。', 'Saving creates a new draft version; the running version is unaffected until you publish. A malformed definition is not saved; the error names the element.')}</p>
<form method="post" action="/workbench/workflows" class="stack" novalidate>
  ${csrfField(page)}
  ${editing
    ? html`<input type="hidden" name="key" value="${opts.values.key ?? ''}"><p>${t(page, '流程标识：', 'Key: ')}<code>${opts.values.key ?? ''}</code></p>`
    : textField({ name: 'key', label: t(page, LABELS.key, 'Key'), value: opts.values.key ?? '', required: true, maxLength: 100, hint: t(page, '通常为事项实施编码，只能包含字母、数字和 _ . : -', 'Usually the item implementation code'), errors: opts.errors })}
  ${textField({ name: 'name', label: t(page, LABELS.name, 'Name'), value: opts.values.name ?? '', required: true, maxLength: 200, errors: opts.errors })}
  <div id="bpmn-designer" class="bpmn-designer" hidden data-loaded="${t(page, '流程图已载入，修改会同步到下方的 XML。', 'Diagram loaded; edits are copied into the XML below.')}" data-import-failed="${t(page, '流程图无法显示，请直接编辑下方的 XML。', 'The diagram could not be shown; edit the XML below.')}"></div>
  <p id="bpmn-designer-status" class="hint" role="status"></p>
  <fieldset id="bpmn-props" class="bpmn-props" hidden>
    <legend>${t(page, '所选步骤：', 'Selected step: ')}<span id="bpmn-props-title"></span></legend>
    <fieldset><legend>${t(page, '办理角色', 'Roles')}</legend>
      ${TASK_ROLES.map((r) => html`<label><input type="checkbox" name="designer-role" value="${r}"${attr('form', 'none')}> ${ROLE_LABELS[r]}</label> `)}
    </fieldset>
    <label for="designer-limit">${t(page, '办理时限（工作日，如 3；自然日写 5Z）', 'Step limit (working days, e.g. 3; calendar days 5Z)')}</label>
    <input id="designer-limit" type="text" maxlength="5" form="none">
  </fieldset>
  ${textArea({ name: 'xml', label: t(page, LABELS.xml, 'BPMN definition'), value: opts.values.xml ?? '', required: true, rows: 18, hint: t(page, '支持：开始/结束事件、用户任务（zhengwu:candidateRoles、zhengwu:limit、会签）、服务任务、排他网关、并行网关、定时事件。', 'Supported: start/end events, user tasks (zhengwu:candidateRoles, zhengwu:limit, multi-instance), service tasks, exclusive and parallel gateways, timer events.'), errors: opts.errors })}
  ${textField({ name: 'comment', label: t(page, LABELS.comment, 'Change note'), value: opts.values.comment ?? '', maxLength: 500, errors: opts.errors })}
  <button type="submit">${t(page, '校验并保存草稿', 'Validate and save draft')}</button>
  <a href="${opts.base ? `/workbench/workflows/${opts.base.id}` : '/workbench/workflows'}" class="button secondary">${t(page, '取消', 'Cancel')}</a>
</form>
<script src="/assets/workflow/designer.js" defer></script>`,
  });
}
