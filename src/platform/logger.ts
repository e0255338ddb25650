import pino, { type Logger } from 'pino';

/** Structured JSON logs (pino); the request id is on every request log line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'zhengwu' },
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password'], remove: true },
  });
}
