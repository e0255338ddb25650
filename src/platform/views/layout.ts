import type { Position } from '../auth/actor.ts';
import { ROLE_LABELS } from '../auth/permissions.ts';
import { attr, html, type SafeHtml } from './html.ts';
import { t, type PageContext } from './page-context.ts';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Breadcrumbs below the header, last one is the current page. */
  crumbs?: { label: string; href?: string }[];
}

const SITE_NAME_ZH = '湖北政务服务网';
const SITE_NAME_EN = 'Hubei Government Services';

function documentShell(page: PageContext, title: string, bodyClass: string, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="${page.lang === 'en' ? 'en' : 'zh-CN'}"${attr('class', page.largeText ? 'large-text' : null)}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${page.csrfToken}">
<title>${title} - ${t(page, SITE_NAME_ZH, SITE_NAME_EN)}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body class="${bodyClass}">
<a class="skip-link" href="#main">${t(page, '跳到主要内容', 'Skip to main content')}</a>
${content}
</body>
</html>`;
}

function csrfField(page: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${page.csrfToken}">`;
}

/** Language and large-text switches: plain forms, so they work without JavaScript. */
function preferenceForms(page: PageContext): SafeHtml {
  return html`<form method="post" action="/preferences" class="inline-form">
  ${csrfField(page)}<input type="hidden" name="back" value="${page.path}">
  <button type="submit" name="lang" value="${page.lang === 'en' ? 'zh' : 'en'}" class="link-button" lang="${page.lang === 'en' ? 'zh-CN' : 'en'}">${page.lang === 'en' ? '中文' : 'English'}</button>
  <button type="submit" name="largeText" value="${page.largeText ? '0' : '1'}" class="link-button">${page.largeText ? t(page, '标准字号', 'Standard text') : t(page, '长辈版（大字）', 'Large text')}</button>
</form>`;
}

function accountLinks(page: PageContext): SafeHtml {
  const a = page.actor;
  switch (a.kind) {
    case 'anonymous':
      return html`<a href="/login">${t(page, '登录', 'Sign in')}</a> <a href="/register">${t(page, '注册', 'Register')}</a>`;
    case 'system':
      return html``;
    case 'citizen':
    case 'enterprise':
    case 'staff':
      return html`<a href="${a.kind === 'staff' ? '/workbench' : '/account'}">${a.displayName}</a>
<form method="post" action="/logout" class="inline-form">${csrfField(page)}<button type="submit" class="link-button">${t(page, '退出', 'Sign out')}</button></form>`;
  }
}

function flash(page: PageContext): SafeHtml {
  return page.flash ? html`<div class="flash" role="status">${page.flash}</div>` : html``;
}

function crumbs(page: PageContext, items: PageOptions['crumbs']): SafeHtml {
  if (!items || items.length === 0) return html``;
  return html`<nav class="crumbs" aria-label="${t(page, '当前位置', 'Breadcrumb')}"><ol>
${items.map((c, i) => (c.href && i < items.length - 1 ? html`<li><a href="${c.href}">${c.label}</a></li>` : html`<li aria-current="page">${c.label}</li>`))}
</ol></nav>`;
}

/** The public portal: header with jurisdiction switcher and search, footer with site marks. */
export function portalPage(page: PageContext, opts: PageOptions & { jurisdictionName?: string }): SafeHtml {
  return documentShell(
    page,
    opts.title,
    'portal',
    html`<header class="portal-header">
  <div class="topbar"><div class="wrap">
    <span>${t(page, '湖北省人民政府 主办', 'Hubei Provincial People’s Government')}</span>
    <span class="topbar-right">${preferenceForms(page)} ${accountLinks(page)}</span>
  </div></div>
  <div class="masthead wrap">
    <a class="brand" href="/"><span class="emblem" aria-hidden="true">政</span><span>${t(page, SITE_NAME_ZH, SITE_NAME_EN)}</span></a>
    <a class="jurisdiction-switch" href="/jurisdictions">${opts.jurisdictionName ?? t(page, '湖北省', 'Hubei')} <span>[${t(page, '切换地区', 'Change region')}]</span></a>
    <form class="search" role="search" method="get" action="/search">
      <label class="visually-hidden" for="site-search">${t(page, '搜索', 'Search')}</label>
      <input id="site-search" name="q" type="search" maxlength="100" placeholder="${t(page, '搜索办事事项、政策文件、问答', 'Search services, policies, answers')}">
      <button type="submit">${t(page, '搜索', 'Search')}</button>
    </form>
  </div>
  <nav class="mainnav" aria-label="${t(page, '主导航', 'Main')}"><div class="wrap">
    <a href="/">${t(page, '首页', 'Home')}</a>
    <a href="/services">${t(page, '办事服务', 'Services')}</a>
    <a href="/progress">${t(page, '办件查询', 'Track a case')}</a>
    <a href="/disclosure">${t(page, '政府信息公开', 'Open government')}</a>
    <a href="/mailbox">${t(page, '政民互动', 'Get in touch')}</a>
    <a href="/consultations">${t(page, '征求意见', 'Consultations')}</a>
    <a href="/notices">${t(page, '通知公告', 'Notices')}</a>
    <a href="/account">${t(page, '我的空间', 'My account')}</a>
  </div></nav>
</header>
<main id="main" class="wrap" tabindex="-1">
${crumbs(page, opts.crumbs)}
${flash(page)}
${opts.body}
</main>
<footer class="portal-footer"><div class="wrap">
  <p>${t(page, '主办单位：湖北省人民政府办公厅　承办单位：湖北省政务服务和大数据管理局', 'Run by the General Office of the Hubei Provincial People’s Government')}</p>
  <p>${t(page, '网站标识码：（待分配）　鄂ICP备（待备案）号　鄂公网安备（待备案）号', 'Site ID: (pending) · ICP record: (pending)')}</p>
  <p><a href="/api/docs">${t(page, '开放接口', 'API')}</a> · <a href="/accessibility">${t(page, '无障碍声明', 'Accessibility')}</a> · ${t(page, '本系统为开源软件 Zhengwu 的演示实例', 'A demo instance of the open-source Zhengwu platform')}</p>
</div></footer>`,
  );
}

function positionLabel(p: Position): string {
  return `${p.organisationName} · ${p.roles.map((r) => ROLE_LABELS[r]).join('、')}`;
}

/**
 * One button per other position of a staff member ("切换到 …"), each switching to it and coming
 * back to `back` (a /workbench path): for a page that is empty in the current position.
 */
export function otherPositionButtons(page: PageContext, back: string): SafeHtml {
  const a = page.actor;
  if (a.kind !== 'staff') return html``;
  return html`${a.positions
    .filter((p) => p.id !== a.position.id)
    .map(
      (p) => html`<form method="post" action="/workbench/position" class="inline-form">${csrfField(page)}<input type="hidden" name="positionId" value="${p.id}"><input type="hidden" name="back" value="${back}"><button type="submit" class="secondary small">${t(page, `切换到：${positionLabel(p)}`, `Switch to: ${positionLabel(p)}`)}</button></form> `,
    )}`;
}

/** The staff workbench: left navigation by module, top bar with organisation and role switcher. */
export function workbenchPage(page: PageContext, opts: PageOptions): SafeHtml {
  const a = page.actor;
  const positionSwitch =
    a.kind === 'staff'
      ? a.positions.length > 1
        ? html`<form method="post" action="/workbench/position" class="inline-form position-switch">
  ${csrfField(page)}
  <label for="position-select">${t(page, '当前岗位', 'Acting as')}</label>
  <select id="position-select" name="positionId">${a.positions.map((p) => html`<option value="${p.id}"${attr('selected', p.id === a.position.id)}>${positionLabel(p)}</option>`)}</select>
  <button type="submit" class="small">${t(page, '切换', 'Switch')}</button>
</form>`
        : html`<span class="position">${positionLabel(a.position)}</span>`
      : html``;
  return documentShell(
    page,
    opts.title,
    'workbench',
    html`<header class="wb-top">
  <a class="brand" href="/workbench"><span class="emblem" aria-hidden="true">政</span>${t(page, '政务工作台', 'Staff workbench')}</a>
  ${positionSwitch}
  <span class="wb-right">${preferenceForms(page)} ${accountLinks(page)}</span>
</header>
<div class="wb-body">
<nav class="wb-nav" aria-label="${t(page, '功能导航', 'Modules')}"><ul>
  <li><a href="/workbench"${attr('aria-current', page.path === '/workbench' ? 'page' : null)}>${t(page, '工作台首页', 'Overview')}</a></li>
  ${page.nav.map((n) => html`<li><a href="${n.href}"${attr('aria-current', page.path.startsWith(n.href) ? 'page' : null)}>${t(page, n.label, n.labelEn)}</a></li>`)}
  <li><a href="/account/security">${t(page, '账号安全', 'Account security')}</a></li>
</ul></nav>
<main id="main" class="wb-main" tabindex="-1">
${crumbs(page, opts.crumbs)}
${flash(page)}
${opts.body}
</main>
</div>`,
  );
}

/** A hidden CSRF field for forms (every POST form includes it). */
export { csrfField };

/** An error or notice page in the portal shell. */
export function messagePage(page: PageContext, opts: { title: string; status: number; message: string; detail?: SafeHtml }): SafeHtml {
  return portalPage(page, {
    title: opts.title,
    body: html`<section class="message-page">
  <h1>${opts.title}</h1>
  <p class="lead">${opts.message}</p>
  ${opts.detail ?? html``}
  <p class="muted">${t(page, '错误代码', 'Status')} ${opts.status} · ${t(page, '请求编号', 'Request id')} <code>${page.requestId}</code></p>
  <p><a href="/">${t(page, '返回首页', 'Back to home')}</a></p>
</section>`,
  });
}
