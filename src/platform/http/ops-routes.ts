import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import client from 'prom-client';
import { countUnsealed } from '../audit/audit-sealer.ts';
import type { Db } from '../db/database.ts';
import { countWaitingJobs } from '../jobs/job.repository.ts';

/** /healthz (process alive), /readyz (database answers), /metrics (Prometheus). */
export async function opsRoutes(app: FastifyInstance, opts: { db: Db; isReady: () => boolean; metricsToken: string | undefined }): Promise<void> {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'zhengwu_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Backlogs, read from the database at each scrape (partial indexes keep both counts cheap):
  // notifications and other jobs not yet done, and audit entries not yet sealed into the chain.
  new client.Gauge({
    name: 'zhengwu_jobs_waiting',
    help: 'Outbox jobs pending or running, by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await countWaitingJobs(opts.db)) this.set({ queue: r.queue, state: r.state }, r.n);
    },
  });
  new client.Gauge({
    name: 'zhengwu_audit_unsealed',
    help: 'Audit entries written but not yet sealed into the hash chain',
    registers: [registry],
    async collect() {
      this.set(await countUnsealed(opts.db));
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/healthz', { config: { access: { public: true } }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) => {
    if (!opts.isReady()) return reply.status(503).send({ status: 'starting' });
    try {
      await sql`SELECT 1`.execute(opts.db);
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database unavailable' });
    }
  });
  // Public at the route level; the scrape itself needs the metrics token, or a loopback client.
  app.get('/metrics', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => {
    const loopback = request.ip === '127.0.0.1' || request.ip === '::1' || request.ip === '::ffff:127.0.0.1';
    const token = opts.metricsToken;
    const authorised = token ? request.headers.authorization === `Bearer ${token}` : loopback;
    if (!authorised) return reply.status(403).type('text/plain; charset=utf-8').send('metrics: forbidden (set ZHENGWU_METRICS_TOKEN and send it as a bearer token)\n');
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
