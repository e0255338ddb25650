/**
 * An open-loop HTTP/1.1 load generator, light enough to send thousands of requests a second from
 * the bench process itself.
 *
 * - Requests are due at evenly spaced times (rate × seconds of them), whatever the server does.
 * - `connections` keep-alive sockets carry them, one request in flight on each (no pipelining).
 * - A request that finds every socket busy waits with its due time unchanged, so its latency
 *   includes the wait: no coordinated omission.
 * - Plain `net` sockets and request text built by hand: node:http's client costs about 0.1 ms of
 *   CPU a request, which made the generator itself the bottleneck at 5,000 req/s on two cores.
 *
 * Responses are read just enough to find their end (Content-Length or chunked) and status.
 */
import net from 'node:net';

export interface OpenLoopOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The next request's own headers and body (a new Idempotency-Key, a different case…). */
  make: () => { headers?: Record<string, string>; body: string };
  ratePerSec: number;
  seconds: number;
  connections: number;
}

export interface OpenLoopResult {
  ok2xx: number;
  non2xx: number;
  errors: number;
  elapsedSeconds: number;
  /** Milliseconds from each answered request's due time to the end of its response, ascending. */
  latencies: number[];
}

interface InFlight {
  due: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Parses one HTTP/1.1 response out of the bytes received so far; null while incomplete. */
export function parseResponse(buf: Buffer): { status: number; length: number } | null {
  const headEnd = buf.indexOf(HEADER_END);
  if (headEnd < 0) return null;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headEnd + 4;
  const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (lengthMatch) {
    const end = bodyStart + Number(lengthMatch[1]);
    return buf.length >= end ? { status, length: end } : null;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    let at = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at, 'latin1');
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size in response');
      at = lineEnd + 2 + size + 2;
      if (buf.length < at) return null;
      if (size === 0) return { status, length: at };
    }
  }
  // No body (204, 304) or none announced.
  return { status, length: bodyStart };
}

export async function openLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const target = new URL(opts.url);
  const port = Number(target.port || 80);
  const method = opts.method ?? 'POST';
  const fixedHeaders = Object.entries({ host: target.host, connection: 'keep-alive', ...opts.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const total = Math.max(1, Math.round(opts.ratePerSec * opts.seconds));
  const interval = 1000 / opts.ratePerSec;
  const latencies: number[] = [];
  let ok2xx = 0;
  let non2xx = 0;
  let errors = 0;
  let answered = 0;
  let scheduled = 0;
  const waiting: number[] = [];
  let waitingHead = 0;
  const start = performance.now() + 20;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const request = (): string => {
    const next = opts.make();
    const own = Object.entries(next.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    return `${method} ${target.pathname}${target.search} HTTP/1.1\r\n${fixedHeaders}${own}content-length: ${Buffer.byteLength(next.body)}\r\n\r\n${next.body}`;
  };

  const settle = (due: number, status: number | null): void => {
    answered += 1;
    if (status === null) errors += 1;
    else {
      latencies.push(performance.now() - due);
      if (status >= 200 && status < 300) ok2xx += 1;
      else non2xx += 1;
    }
    if (answered === total) finish();
  };

  class Connection {
    socket: net.Socket;
    inFlight: InFlight | null = null;
    received: Buffer = Buffer.alloc(0);

    constructor() {
      this.socket = this.connect();
    }

    connect(): net.Socket {
      const s = net.connect({ host: target.hostname, port, noDelay: true });
      s.on('data', (chunk: Buffer) => this.onData(chunk));
      s.on('error', () => undefined);
      s.on('close', () => {
        // A request lost with the socket counts as an error; the connection opens a new socket
        // (an idle one closed by the server is already on the free list).
        this.received = Buffer.alloc(0);
        this.socket = this.connect();
        if (this.inFlight) {
          const { due } = this.inFlight;
          this.inFlight = null;
          settle(due, null);
          free.push(this);
          dispatch();
        }
      });
      return s;
    }

    send(due: number): void {
      this.inFlight = { due };
      this.socket.write(request());
    }

    onData(chunk: Buffer): void {
      this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
      const r = parseResponse(this.received);
      if (!r || !this.inFlight) return;
      this.received = this.received.subarray(r.length);
      const { due } = this.inFlight;
      this.inFlight = null;
      settle(due, r.status);
      free.push(this);
      dispatch();
    }
  }

  const free: Connection[] = [];
  const all = Array.from({ length: opts.connections }, () => new Connection());
  free.push(...all);

  function dispatch(): void {
    while (waitingHead < waiting.length && free.length > 0) free.pop()!.send(waiting[waitingHead++]!);
  }

  function tick(): void {
    const now = performance.now();
    while (scheduled < total && start + scheduled * interval <= now) waiting.push(start + scheduled++ * interval);
    dispatch();
    if (scheduled < total) setTimeout(tick, Math.max(0, start + scheduled * interval - performance.now()));
  }

  setTimeout(tick, 20);
  await done;
  const elapsedSeconds = (performance.now() - start) / 1000;
  for (const c of all) {
    c.socket.removeAllListeners('close');
    c.socket.destroy();
  }
  latencies.sort((a, b) => a - b);
  return { ok2xx, non2xx, errors, elapsedSeconds, latencies };
}
