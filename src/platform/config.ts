import path from 'node:path';

/**
 * One validated configuration object, read once at boot (STYLE.md §7). Secrets have no
 * defaults: in embedded (PGlite) mode the platform generates its own keys under the data
 * directory on first start; a PostgreSQL deployment must supply them.
 */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  smtpUrl: string | undefined;
  /** Largest attachment accepted, in bytes (ZHENGWU_ATTACHMENT_MAX_BYTES, default 20 MiB). */
  attachmentMaxBytes: number;
  mailFrom: string;
  masterKey: string | undefined;
  seedDemo: boolean;
  /** Bearer token for /metrics; without it only loopback clients may scrape. */
  metricsToken: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 (configuration errors):\n  - ${problems.join('\n  - ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'production' && nodeEnv !== 'test') {
    problems.push(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer 0–65535, got "${env.PORT}"`);
  const host = env.HOST ?? '127.0.0.1';
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  const masterKey = env.ZHENGWU_MASTER_KEY?.trim() || undefined;
  if (masterKey && !/^[0-9a-f]{64}$/i.test(masterKey)) problems.push('ZHENGWU_MASTER_KEY must be 64 hexadecimal characters (32 bytes)');
  if (nodeEnv === 'production' && !masterKey) problems.push('ZHENGWU_MASTER_KEY is required in production (generate one with: openssl rand -hex 32)');
  const smtpUrl = env.ZHENGWU_SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('ZHENGWU_SMTP_URL must start with smtp:// or smtps://');
  const attachmentMaxBytes = Number(env.ZHENGWU_ATTACHMENT_MAX_BYTES ?? 20 * 1024 * 1024);
  if (!Number.isInteger(attachmentMaxBytes) || attachmentMaxBytes < 1) {
    problems.push(`ZHENGWU_ATTACHMENT_MAX_BYTES must be a positive integer (bytes), got "${env.ZHENGWU_ATTACHMENT_MAX_BYTES}"`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    env: nodeEnv as Config['env'],
    port,
    host,
    publicUrl: (env.ZHENGWU_PUBLIC_URL ?? `http://${shownHost}:${port}`).replace(/\/$/, ''),
    databaseUrl,
    dataDir: path.resolve(env.ZHENGWU_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    smtpUrl,
    attachmentMaxBytes,
    mailFrom: env.ZHENGWU_MAIL_FROM ?? 'Zhengwu <noreply@localhost>',
    masterKey,
    seedDemo: (env.ZHENGWU_SEED_DEMO ?? 'true') !== 'false',
    metricsToken: env.ZHENGWU_METRICS_TOKEN?.trim() || undefined,
  };
}
