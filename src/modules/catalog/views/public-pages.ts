import { formatDate, pager } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { ItemRow, LifeEventRow, VersionRow } from '../catalog.repository.ts';
import { EXERCISE_LEVELS, HANDLING_FORMS, ITEM_TYPES, LEGAL_PERSON_THEMES, MATERIAL_FORMS, MATERIAL_SOURCES, NATURAL_PERSON_THEMES, RESULT_TYPES, SERVICE_OBJECTS } from '../types.ts';
import { DEPTH_LABEL, legalLimitText, promisedLimitText, visitsText } from './format.ts';

export interface FinderFilters {
  q?: string | undefined;
  org?: string | undefined;
  level?: string | undefined;
  theme?: string | undefined;
  type?: string | undefined;
  /** A life event (一件事) id: only its items. */
  event?: string | undefined;
}

const crumbsHome = (page: PageContext) => ({ label: t(page, '首页', 'Home'), href: '/' });

function paragraphs(text: string): SafeHtml {
  return html`${text
    .split(/\n+/)
    .filter(Boolean)
    .map((p) => html`<p>${p}</p>`)}`;
}

export function serviceFinder(
  page: PageContext,
  o: { rows: ItemRow[]; total: number; page: number; pageSize: number; filters: FinderFilters; organisations: { id: string; name: string; count: number }[]; lifeEvents: LifeEventRow[] },
): SafeHtml {
  const f = o.filters;
  const selected = (a: string | undefined, b: string) => (a === b ? html` selected` : '');
  const filtered = Boolean(f.q || f.org || f.level || f.theme || f.type || f.event);
  return portalPage(page, {
    title: t(page, '办事服务', 'Services'),
    crumbs: [crumbsHome(page), { label: t(page, '办事服务', 'Services') }],
    body: html`<h1>${t(page, '办事服务', 'Services')}</h1>
<form method="get" action="/services" class="filters card" role="search">
  <div class="field"><label for="f-q">${t(page, '事项名称、拼音或首字母', 'Name, pinyin or initials')}</label>
  <input id="f-q" name="q" type="search" value="${f.q ?? ''}" maxlength="100" aria-describedby="f-q-hint"><p class="hint" id="f-q-hint">${t(page, '例如：食品经营许可、shipin、spjyxk', 'e.g. 食品经营许可, shipin, spjyxk')}</p></div>
  <div class="field"><label for="f-org">${t(page, '实施部门', 'Department')}</label>
  <select id="f-org" name="org"><option value="">${t(page, '全部部门', 'All')}</option>${o.organisations.map((g) => html`<option value="${g.id}"${selected(f.org, g.id)}>${g.name}（${g.count}）</option>`)}</select></div>
  <div class="field"><label for="f-level">${t(page, '行使层级', 'Level')}</label>
  <select id="f-level" name="level"><option value="">${t(page, '全部层级', 'All')}</option>${['2', '3', '4', '5'].map((l) => html`<option value="${l}"${selected(f.level, l)}>${EXERCISE_LEVELS[l]}</option>`)}</select></div>
  <div class="field"><label for="f-theme">${t(page, '主题', 'Theme')}</label>
  <select id="f-theme" name="theme"><option value="">${t(page, '全部主题', 'All')}</option>
  <optgroup label="${t(page, '个人办事', 'Individuals')}">${NATURAL_PERSON_THEMES.map((th) => html`<option value="${th}"${selected(f.theme, th)}>${th}</option>`)}</optgroup>
  <optgroup label="${t(page, '法人办事', 'Organisations')}">${LEGAL_PERSON_THEMES.filter((th) => !NATURAL_PERSON_THEMES.includes(th)).map((th) => html`<option value="${th}"${selected(f.theme, th)}>${th}</option>`)}</optgroup></select></div>
  <div class="field"><label for="f-type">${t(page, '事项类型', 'Type')}</label>
  <select id="f-type" name="type"><option value="">${t(page, '全部类型', 'All')}</option>${Object.entries(ITEM_TYPES).map(([k, v]) => html`<option value="${k}"${selected(f.type, k)}>${v}</option>`)}</select></div>
  ${f.event ? html`<input type="hidden" name="event" value="${f.event}">` : ''}
  <button type="submit">${t(page, '查找', 'Find')}</button>
  ${filtered ? html`<a href="/services" class="button secondary">${t(page, '清除条件', 'Clear')}</a>` : ''}
</form>
${o.lifeEvents.length > 0
  ? html`<section aria-labelledby="le-h"><h2 id="le-h">${t(page, '一件事一次办', 'Life events')}</h2><ul class="grid">${o.lifeEvents.map((le) => html`<li class="card"><a href="/life-events/${le.id}">${le.name}</a><p class="muted"><a href="/services?event=${le.id}">${t(page, `${le.itemIds.length} 个事项一次办理`, `${le.itemIds.length} items at once`)}</a></p></li>`)}</ul></section>`
  : ''}
<section aria-labelledby="items-h">
<h2 id="items-h">${filtered ? t(page, `找到 ${o.total} 个事项`, `${o.total} items found`) : t(page, '全部事项', 'All items')}</h2>
${o.rows.length === 0
  ? html`<p class="empty">${filtered ? t(page, '没有找到符合条件的事项。请换个关键词，或试试拼音首字母。', 'No items match. Try other words or pinyin initials.') : t(page, '暂无已发布的办事事项。', 'No items have been published yet.')}</p>`
  : html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '事项列表', 'Items')}</caption>
<thead><tr><th scope="col">${t(page, '事项名称', 'Item')}</th><th scope="col">${t(page, '实施部门', 'Department')}</th><th scope="col">${t(page, '层级', 'Level')}</th><th scope="col">${t(page, '类型', 'Type')}</th></tr></thead>
<tbody>${o.rows.map((r) => html`<tr><td><a href="/services/${r.id}">${r.name}</a></td><td>${r.organisationName}</td><td>${EXERCISE_LEVELS[r.exerciseLevel] ?? ''}</td><td>${ITEM_TYPES[r.itemType] ?? ''}</td></tr>`)}</tbody></table></div>
${pager({ path: '/services', query: { q: f.q, org: f.org, level: f.level, theme: f.theme, type: f.type, event: f.event }, page: o.page, pageSize: o.pageSize, total: o.total })}`}
</section>`,
  });
}

function row(label: string, value: SafeHtml | string): SafeHtml {
  return html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
}

export function serviceGuide(page: PageContext, item: ItemRow, v: VersionRow, opts: { canApply: boolean }): SafeHtml {
  const e = v.elements;
  const yes = (b: boolean) => (b ? '是' : '否');
  const fileLink = (id: string | null, label: string) => (id ? html` <a href="/services/${item.id}/files/${id}">${label}</a>` : '');
  return portalPage(page, {
    title: t(page, `${e.name} 办事指南`, `${e.name} — service guide`),
    crumbs: [crumbsHome(page), { label: t(page, '办事服务', 'Services'), href: '/services' }, { label: e.name }],
    body: html`<article>
<h1>${e.name}</h1>
<p class="lead">${item.organisationName} · ${ITEM_TYPES[e.itemType] ?? ''} · ${t(page, '实施编码', 'Code')} ${item.implementationCode}</p>
${item.status === 'published'
  ? html`<p><a class="button" href="/services/${item.id}/apply">${t(page, '在线办理', 'Apply online')}</a>${opts.canApply ? '' : html` <span class="muted">${t(page, '（需登录）', '(sign-in required)')}</span>`}</p>`
  : html`<p class="flash" role="status">${t(page, '该事项已暂停办理。', 'This item is suspended.')}</p>`}
<section class="card" aria-labelledby="g-basic"><h2 id="g-basic">${t(page, '基本信息', 'Basic information')}</h2>
<table><caption class="visually-hidden">${t(page, '基本信息', 'Basic information')}</caption><tbody>
${row('事项类型', ITEM_TYPES[e.itemType] ?? e.itemType)}
${row('基本编码', e.basicCode)}
${row('实施编码', item.implementationCode)}
${row('实施主体', item.organisationName)}
${row('行使层级', EXERCISE_LEVELS[e.exerciseLevel] ?? '')}
${row('服务对象', e.serviceObjects.map((o) => SERVICE_OBJECTS[o] ?? o).join('、'))}
${row('办件类型', e.caseType === 'instant' ? '即办件' : '承诺件')}
${row('法定办结时限', legalLimitText(e))}
${row('承诺办结时限', promisedLimitText(e))}
${e.promisedLimitNote ? row('时限说明', e.promisedLimitNote) : ''}
${row('办理形式', e.handlingForms.map((h) => HANDLING_FORMS[h] ?? h).join('、'))}
${row('网上办理深度', DEPTH_LABEL[e.onlineDepth] ?? '')}
${row('到办事现场次数', visitsText(e))}
${e.visitCount > 0 ? row('必须现场办理原因', e.visitReason) : ''}
${row('是否收费', e.feeCharged ? '收费' : '不收费')}
${row('审批结果', e.resultName ? html`${e.resultName}${e.resultType ? `（${RESULT_TYPES[e.resultType]}）` : ''}${fileLink(e.resultSampleAttachmentId, t(page, '查看结果样本', 'Sample'))}` : '—')}
${row('数量限制', e.quantityLimit || '无')}
${row('中介服务', e.intermediaryServices || '无')}
${row('支持预约', yes(e.bookingSupported))}
${row('支持物流快递', yes(e.courierSupported))}
${row('支持网上支付', yes(e.onlinePaymentSupported))}
</tbody></table></section>
<section class="card" aria-labelledby="g-basis"><h2 id="g-basis">${t(page, '设定依据', 'Legal basis')}</h2>${paragraphs(e.legalBasis)}</section>
<section class="card" aria-labelledby="g-cond"><h2 id="g-cond">${t(page, '受理条件', 'Conditions')}</h2>${paragraphs(e.acceptanceConditions || '无')}</section>
<section class="card" aria-labelledby="g-mat"><h2 id="g-mat">${t(page, '申请材料', 'Materials')}</h2>
${e.materials.length === 0
  ? html`<p class="empty">${t(page, '无需提交材料。', 'No materials needed.')}</p>`
  : html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '申请材料清单', 'Materials')}</caption>
<thead><tr><th scope="col">序号</th><th scope="col">材料名称</th><th scope="col">是否必需</th><th scope="col">材料形式</th><th scope="col">原件</th><th scope="col">复印件</th><th scope="col">来源</th><th scope="col">说明</th></tr></thead>
<tbody>${e.materials.map((m, i) => html`<tr><td>${i + 1}</td><td>${m.name}${fileLink(m.blankFormAttachmentId, '空白表格')}${fileLink(m.sampleAttachmentId, '示范文本')}</td><td>${m.required ? '必需' : '容缺/非必需'}</td><td>${MATERIAL_FORMS[m.form]}</td><td>${m.originals}</td><td>${m.copies}</td><td>${MATERIAL_SOURCES[m.source]}</td><td>${m.fromSharing ? html`<strong>免提交（共享获取）</strong> ` : ''}${m.note}</td></tr>`)}</tbody></table></div>`}
</section>
<section class="card" aria-labelledby="g-proc"><h2 id="g-proc">${t(page, '办理流程', 'Process')}</h2>
${e.processSteps.length === 0
  ? html`<p>${t(page, '当场受理，当场办结。', 'Handled on the spot.')}</p>`
  : html`<ol>${e.processSteps.map((s) => html`<li><strong>${s.name}</strong>${s.limit ? html`（${s.limit.n} ${{ '1': '个工作日', '2': '个自然日', '3': '小时', '4': '分钟', '5': '个月' }[s.limit.unit]}）` : ''}${s.description ? html`：${s.description}` : ''}</li>`)}</ol>`}
${e.specialProcedures && e.specialProcedures !== '无' ? html`<p>${t(page, '特别程序：', 'Special procedures: ')}${e.specialProcedures}</p>` : ''}
</section>
<section class="card" aria-labelledby="g-fee"><h2 id="g-fee">${t(page, '收费标准', 'Fees')}</h2>
${e.feeCharged
  ? html`<ul>${e.fees.map((f) => html`<li>${f.name}：${f.standard}${f.basis ? html`<br><span class="muted">依据：${f.basis}</span>` : ''}</li>`)}</ul>${e.fees.length === 0 ? html`<p>${e.feeBasis}</p>` : ''}`
  : html`<p>${t(page, '不收费。', 'Free of charge.')}</p>`}
</section>
<section class="card" aria-labelledby="g-where"><h2 id="g-where">${t(page, '办理地点、时间和咨询监督', 'Where, when, contacts')}</h2>
<table><caption class="visually-hidden">${t(page, '办理地点和联系方式', 'Place and contacts')}</caption><tbody>
${row('办理地点', e.location)}
${row('办理时间', e.officeHours)}
${row('咨询方式', e.consultationMethod)}
${row('咨询电话', e.consultationPhone)}
${row('监督投诉电话', e.supervisionPhone)}
</tbody></table></section>
${e.faq ? html`<section class="card" aria-labelledby="g-faq"><h2 id="g-faq">${t(page, '常见问题', 'FAQ')}</h2>${paragraphs(e.faq)}</section>` : ''}
<p class="muted">${t(page, `第 ${v.versionNo} 版，发布于 ${formatDate(v.publishedAt)}`, `Version ${v.versionNo}, published ${formatDate(v.publishedAt)}`)}</p>
</article>`,
  });
}

export function lifeEventList(page: PageContext, rows: LifeEventRow[]): SafeHtml {
  return portalPage(page, {
    title: t(page, '一件事一次办', 'Life events'),
    crumbs: [crumbsHome(page), { label: t(page, '办事服务', 'Services'), href: '/services' }, { label: t(page, '一件事一次办', 'Life events') }],
    body: html`<h1>${t(page, '一件事一次办', 'Life events')}</h1>
${rows.length === 0
  ? html`<p class="empty">${t(page, '暂无“一件事”服务。', 'No life events yet.')}</p>`
  : html`<ul class="grid">${rows.map((le) => html`<li class="card"><h2><a href="/life-events/${le.id}">${le.name}</a></h2><p>${le.description}</p></li>`)}</ul>`}`,
  });
}

/** `unavailable`: why online application is not possible now (the catalog's message naming the item), or null. */
export function lifeEventDetail(page: PageContext, le: LifeEventRow, items: ItemRow[], unavailable: string | null): SafeHtml {
  return portalPage(page, {
    title: le.name,
    crumbs: [crumbsHome(page), { label: t(page, '一件事一次办', 'Life events'), href: '/life-events' }, { label: le.name }],
    body: html`<h1>${le.name}</h1>
<p class="lead">${le.description}</p>
<h2>${t(page, '包含的事项', 'Items included')}</h2>
<ol>${items.map((i) => html`<li><a href="/services/${i.id}">${i.name}</a> <span class="muted">${i.organisationName}</span></li>`)}</ol>
${unavailable === null
  ? html`<p><a class="button" href="/life-events/${le.id}/apply">${t(page, '一次填报，在线办理', 'Apply once online')}</a></p>`
  : html`<p class="flash" role="status" id="life-event-unavailable">${t(page, `${unavailable}。`, 'One of the items is not available; online application is unavailable.')}</p>`}`,
  });
}
