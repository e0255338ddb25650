import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Authenticator } from '../../src/platform/auth/authenticator.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/**
 * Browser journeys (vitest project "browser", test/browser/*.journey.ts): the real app on a
 * fresh test database (PGlite, or PostgreSQL when ZHENGWU_TEST_DATABASE_URL is set),
 * listening on a random loopback port, driven by Debian's Chromium through playwright-core.
 *
 *   let j: Journey;
 *   beforeAll(async () => { j = await startJourney(); });
 *   afterAll(async () => j?.stop());
 *   it('…', async () => {
 *     const page = await j.newPage();
 *     await page.goto(j.url('/'));
 *     await checkA11y(page);
 *   });
 *
 * Nothing leaves the machine: requests to any host but loopback are aborted (and listed in
 * `blockedRequests`), and Chromium's own background traffic is switched off by flags.
 * The app's Content-Security-Policy stays in force (contexts do not bypass it), so a page
 * that needs an inline script fails here as it would in production.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');
const AXE_PATH = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** Debian's chromium package; ZHENGWU_CHROMIUM overrides it on other machines. */
export const CHROMIUM_PATH = process.env.ZHENGWU_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  // Belt and braces for traffic that does not go through a page (and so not through route()):
  // no host name resolves except localhost.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export interface ConsoleProblem {
  pageUrl: string;
  type: 'console' | 'pageerror';
  text: string;
}

export interface Journey {
  /** e.g. http://127.0.0.1:41234 — also the app's ZHENGWU_PUBLIC_URL. */
  baseUrl: string;
  /** The app under test: `testApp.app.inject()`, `testApp.platform.db` for fixtures. */
  testApp: TestApp;
  browser: Browser;
  /** Non-loopback URLs some page tried to load (aborted). A government page should load nothing from elsewhere. */
  blockedRequests: string[];
  /** Console errors and uncaught page errors, from every page of every context. */
  consoleProblems: ConsoleProblem[];
  url(pathname: string): string;
  /** A fresh browser context (own cookies: one per person in a journey), zh-CN, Asia/Shanghai. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a fresh context. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Closes the browser, the app and drops its database. */
  stop(): Promise<void>;
}

export interface JourneyOptions {
  /** Extra configuration (environment variable names) for the app. */
  env?: Record<string, string>;
  /** Tests only: resolve actors without signing in (journeys normally sign in for real). */
  authenticator?: Authenticator;
}

function isLoopback(rawUrl: string): boolean {
  let u: URL;
  try {
    u = new URL(rawUrl);
  } catch {
    return false;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A port that was free a moment ago (the app needs to know its public URL before it listens). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startJourney(opts: JourneyOptions = {}): Promise<Journey> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium fonts-noto-cjk (or set ZHENGWU_CHROMIUM)`);
  }
  // The app learns its own address up front so absolute URLs (OIDC issuer, links in mail)
  // point at this test server.
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const testApp = await startTestApp({ ZHENGWU_PUBLIC_URL: baseUrl, ...opts.env }, opts.authenticator ? { authenticator: opts.authenticator } : {});
  let browser: Browser | undefined;
  try {
    await testApp.app.listen({ port, host: '127.0.0.1' });
    // launch() gives every browser a new, empty profile directory of its own (and removes it on close).
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await testApp.stop();
    throw e;
  }
  const theBrowser = browser;
  const blockedRequests: string[] = [];
  const consoleProblems: ConsoleProblem[] = [];
  const contexts: BrowserContext[] = [];

  const newContext = async (options: BrowserContextOptions = {}): Promise<BrowserContext> => {
    const context = await theBrowser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 }, ...options });
    contexts.push(context);
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (isLoopback(url)) return route.continue();
      blockedRequests.push(url);
      return route.abort('blockedbyclient');
    });
    context.on('page', (page) => {
      page.on('console', (msg) => {
        if (msg.type() === 'error') consoleProblems.push({ pageUrl: page.url(), type: 'console', text: msg.text() });
      });
      page.on('pageerror', (err) => consoleProblems.push({ pageUrl: page.url(), type: 'pageerror', text: err.message }));
    });
    return context;
  };

  return {
    baseUrl,
    testApp,
    browser: theBrowser,
    blockedRequests,
    consoleProblems,
    url: (pathname) => new URL(pathname, baseUrl).toString(),
    newContext,
    newPage: async (options) => (await newContext(options)).newPage(),
    stop: async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await theBrowser.close().catch(() => undefined);
      await testApp.stop();
    },
  };
}

/** WCAG 2.1 level A and AA (GB/T 37668-2019 follows WCAG 2.0 AA; 适老化 guidance asks for the same). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface A11yOptions {
  /** CSS selectors to leave out (e.g. third-party widgets). */
  exclude?: string[];
  /** axe rule ids to switch off, each with a reason in the calling test. */
  disableRules?: string[];
}

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

let axeSource: string | undefined;

/** The violations as a readable list (one rule per paragraph, each offending element indented). */
export function formatViolations(pageUrl: string, violations: AxeViolation[]): string {
  const lines = [`${violations.length} accessibility violation(s) on ${pageUrl} (axe-core, ${WCAG_TAGS.join(', ')}):`];
  for (const v of violations) {
    lines.push('', `[${v.impact ?? 'n/a'}] ${v.id}: ${v.help}`, `  ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 10)) {
      lines.push(`  - ${n.target.map(String).join(' ')}`);
      lines.push(`    ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (n.failureSummary) lines.push(...n.failureSummary.split('\n').map((l) => `    ${l}`));
    }
    if (v.nodes.length > 10) lines.push(`  … and ${v.nodes.length - 10} more element(s)`);
  }
  return lines.join('\n');
}

/**
 * Runs axe-core's WCAG 2.1 A/AA rules on the page as it is now; throws with a readable list
 * of violations. axe is evaluated through the DevTools protocol rather than added as an
 * inline <script>: the app's CSP (script-src 'self') rightly refuses inline scripts, and
 * bypassing CSP would hide real CSP violations from the journeys.
 */
export async function checkA11y(page: Page, options: A11yOptions = {}): Promise<void> {
  axeSource ??= fs.readFileSync(AXE_PATH, 'utf8');
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(
    async ({ tags, exclude, disableRules }) => {
      const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> } }).axe;
      // No `include`: axe then checks the whole document.
      const context = { exclude: exclude.map((s) => [s]) };
      const rules = Object.fromEntries(disableRules.map((id) => [id, { enabled: false }]));
      const result = await axe.run(context, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
      return result.violations;
    },
    { tags: [...WCAG_TAGS], exclude: options.exclude ?? [], disableRules: options.disableRules ?? [] },
  );
  if (violations.length > 0) throw new Error(formatViolations(page.url(), violations as AxeViolation[]));
}

/** A full-page PNG in test-results/screenshots/<name>.png (kept by CI as an artefact); returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
