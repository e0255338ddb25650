import { ROLE_LABELS } from '../../platform/auth/permissions.ts';
import type { WaitingFigure } from '../../platform/module.ts';
import { formatDate } from '../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../platform/views/html.ts';
import { portalPage, workbenchPage } from '../../platform/views/layout.ts';
import { t, type PageContext } from '../../platform/views/page-context.ts';

export interface Headline {
  title: string;
  url: string;
  date: Date | null;
  source: string;
}

export function homePage(page: PageContext, opts: { headlines: Headline[]; regionName: string }): SafeHtml {
  const signedIn = page.actor.kind !== 'anonymous';
  return portalPage(page, {
    title: t(page, '首页', 'Home'),
    jurisdictionName: opts.regionName,
    body: html`<section class="hero">
  <h1>${t(page, '湖北政务服务网', 'Hubei Government Services')}</h1>
  <p class="lead">${t(page, '一网通办，一次登录，全省通行。个人和企业在这里办事、查进度、看公告、提诉求。', 'One portal, one sign-in for every level of government in Hubei.')}</p>
  <form class="search" role="search" method="get" action="/search">
    <label class="visually-hidden" for="hero-search">${t(page, '搜索', 'Search')}</label>
    <input id="hero-search" name="q" type="search" maxlength="200" placeholder="${t(page, '输入关键词，如“食品经营许可”', 'Keywords, e.g. food business licence')}">
    <button type="submit">${t(page, '搜索', 'Search')}</button>
  </form>
</section>
<div class="grid">
  <section class="card">
    <h2>${t(page, '办事服务', 'Services')}</h2>
    <ul>
      <li><a href="/services">${t(page, '按部门、主题查找办事事项', 'Find a service by department or theme')}</a></li>
      <li><a href="/life-events">${t(page, '“一件事一次办”', 'Life events: several services in one application')}</a></li>
      <li><a href="/progress">${t(page, '办件进度查询', 'Track a case')}</a></li>
      <li><a href="/case-results">${t(page, '办件结果公示', 'Published case results')}</a></li>
    </ul>
  </section>
  <section class="card">
    <h2>${t(page, '政府信息公开', 'Open government')}</h2>
    <ul>
      <li><a href="/disclosure">${t(page, '政府信息公开目录', 'Disclosure catalogue')}</a></li>
      <li><a href="/disclosure-requests/new">${t(page, '依申请公开', 'Request information')}</a></li>
      <li><a href="/disclosure-reports">${t(page, '政府信息公开工作年度报告', 'Annual disclosure reports')}</a></li>
    </ul>
  </section>
  <section class="card">
    <h2>${t(page, '政民互动', 'Get in touch')}</h2>
    <ul>
      <li><a href="/appeals/new">${t(page, '我要写信（咨询、投诉、建议、举报）', 'Write to us (questions, complaints, suggestions, reports)')}</a></li>
      <li><a href="/appeals/track">${t(page, '诉求办理进度查询', 'Track your letter')}</a></li>
      <li><a href="/mailbox">${t(page, '政民互动信箱', 'Public mailbox')}</a></li>
      <li><a href="/consultations">${t(page, '意见征集与网上调查', 'Consultations and surveys')}</a></li>
    </ul>
  </section>
  <section class="card">
    <h2>${t(page, '最新通知公告', 'Latest notices')}</h2>
    ${opts.headlines.length === 0
      ? html`<p class="muted">${t(page, '暂无已发布的通知公告。', 'No notices published yet.')}</p>`
      : html`<ul>${opts.headlines.map((h) => html`<li><a href="${h.url}">${h.title}</a> <span class="muted">${formatDate(h.date)}</span></li>`)}</ul>
<p><a href="/notices">${t(page, '更多通知公告', 'All notices')} ›</a></p>`}
  </section>
  <section class="card">
    <h2>${t(page, '个人和企业', 'Citizens and enterprises')}</h2>
    ${signedIn
      ? html`<p>${t(page, '您已登录。', 'You are signed in.')}</p><p><a class="button" href="/account">${t(page, '进入我的空间', 'My account')}</a></p>`
      : html`<p>${t(page, '注册一个账号，全省各级政务服务一次登录即可使用。', 'One account for services at every level.')}</p>
<p><a class="button" href="/register">${t(page, '注册账号', 'Register')}</a> <a class="button secondary" href="/login">${t(page, '登录', 'Sign in')}</a></p>
<p><a href="/password/reset">${t(page, '忘记密码？', 'Forgot your password?')}</a></p>`}
  </section>
  <section class="card">
    <h2>${t(page, '工作人员入口', 'Staff')}</h2>
    <p>${t(page, '各级政府部门工作人员登录政务工作台办理业务。', 'Civil servants sign in to the workbench.')}</p>
    <p><a href="/workbench">${t(page, '进入政务工作台', 'Open the workbench')} ›</a></p>
    <p><a href="/jurisdictions">${t(page, '浏览全省行政区划', 'Browse regions')} ›</a></p>
  </section>
</div>`,
  });
}

export function accessibilityPage(page: PageContext): SafeHtml {
  return portalPage(page, {
    title: t(page, '无障碍声明', 'Accessibility statement'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '无障碍声明', 'Accessibility') }],
    body: html`<article class="card">
<h1>${t(page, '无障碍声明', 'Accessibility statement')}</h1>
<p>${t(page, '本网站按照 WCAG 2.1 AA 级和《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668）设计：所有功能可以只用键盘完成，页面可被读屏软件朗读，文字与背景对比度达到 AA 级要求，每个表单在不启用 JavaScript 时也能提交。', 'Designed to WCAG 2.1 AA: keyboard-only use, screen readers, AA contrast, and every form works without JavaScript.')}</p>
<h2>${t(page, '长辈版（适老化）', 'Large text')}</h2>
<p>${t(page, '点击页面顶部的“长辈版（大字）”可放大全站文字和行距，再次点击恢复标准字号。设置保存在本浏览器中。', 'Use “Large text” at the top of every page to enlarge text; click again to switch back.')}</p>
<h2>${t(page, '反馈', 'Feedback')}</h2>
<p>${t(page, '如果您在使用中遇到障碍，请拨打政务服务便民热线 12345 告诉我们。', 'If something is hard to use, call the 12345 hotline.')}</p>
</article>`,
  });
}

/** The workbench home: one card per function of the current position, with what waits there (`waiting`, in nav order). */
export function workbenchHome(page: PageContext, waiting: (WaitingFigure | null)[] = []): SafeHtml {
  const a = page.actor;
  const position = a.kind === 'staff' ? a.position : null;
  return workbenchPage(page, {
    title: t(page, '工作台首页', 'Workbench'),
    body: html`<h1>${t(page, '您好', 'Hello')}，${a.kind === 'staff' ? a.displayName : ''}</h1>
${position
  ? html`<p class="lead">${t(page, '当前岗位', 'Acting as')}：${position.organisationName}（${position.jurisdictionName}） · ${position.roles.map((r) => ROLE_LABELS[r]).join('、')}</p>`
  : ''}
${page.nav.length === 0
  ? html`<p class="empty">${t(page, '您当前的岗位还没有可用的功能。如需开通，请联系本单位的安全管理员。', 'Your position has no functions yet. Ask your security administrator.')}</p>`
  : html`<div class="grid">${page.nav.map((n, i) => html`<a class="card" href="${n.href}"><strong>${t(page, n.label, n.labelEn)}</strong>${waiting[i] ? html`<br><span class="waiting">${t(page, waiting[i].text, waiting[i].textEn)}</span>` : ''}</a>`)}</div>`}`,
  });
}
