/**
 * Benchmark: how soon a write reaches the clients of GET /v1/events/stream. The API runs in
 * this process on a fresh embedded store (PGlite in a temporary DATA_DIR, the workers in
 * process, as `npm start`), listening on a free port. For 1 and then 50 connected clients
 * (supervisors: each is sent every event), a supervisor answers one case 100 times, one write
 * at a time; each write's delay is measured from just before its request is sent until every
 * client has read its `case-event` (so the HTTP round trip is included: an upper bound of the
 * time from the append's commit). Then the delay until their `progress` (the read models have
 * it). Prints the figures of each round; the last line is
 * `{"bench":"events-stream","rounds":[{"clients":1,"p50Ms":…,"p99Ms":…,"maxMs":…,"writeP50Ms":…,"afterAnswerP99Ms":…,"progressP99Ms":…},…]}`
 * (`writeP50Ms`: the write's own round trip; `afterAnswerP99Ms`: from its answer until every
 * client had read the event, 0 when they had before).
 *
 *   npm run bench:events-stream
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueLocalToken } from '@app/auth';
import { loadAppConfig } from '@app/config';
import { createLogger } from '@app/observability';
import { createApiApp } from '../../apps/api/src/bootstrap';

const WRITES = 100;
const CLIENT_COUNTS = [1, 50];
const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

/** One stream reader: resolves waiters when an event (or a progress) at a position arrives. */
class StreamReader {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();
  private buffer = '';

  constructor(private readonly abort: AbortController) {}

  static async open(base: string, token: string): Promise<StreamReader> {
    const abort = new AbortController();
    const response = await fetch(`${base}/v1/events/stream`, {
      headers: { authorization: `Bearer ${token}` },
      signal: abort.signal,
    });
    if (response.status !== 200 || !response.body) throw new Error(`the stream answered ${response.status}`);
    const reader = new StreamReader(abort);
    const live = reader.until('live');
    void reader.read(response.body);
    await live;
    return reader;
  }

  /** resolves when `key` (`event:<position>`, `progress:<position>`, `live`) has been read */
  until(key: string): Promise<void> {
    if (this.seen.has(key)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(key, resolve));
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        this.buffer += decoder.decode(chunk, { stream: true });
        for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
          this.frame(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
        }
      }
    } catch {
      // closed
    }
  }

  private frame(frame: string): void {
    if (frame === ': live') return this.mark('live');
    const event = /^event: (.*)$/m.exec(frame)?.[1];
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (!event || !data) return;
    const position = (JSON.parse(data) as { position: number }).position;
    if (event === 'case-event') this.mark(`event:${position}`);
    // a progress vouches for every position up to its own
    if (event === 'progress') this.mark(`progress:${position}`);
  }

  private mark(key: string): void {
    this.seen.set(key, Date.now());
    this.waiters.get(key)?.();
    this.waiters.delete(key);
  }
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (ms: number): number => Math.round(ms * 10) / 10;

const main = async (): Promise<void> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-events-stream-'));
  const config = loadAppConfig({ DATA_DIR: dataDir, AUTH_SECRET: SECRET, LOG_LEVEL: 'silent', HELP_ARTICLES_FILE: '' });
  const app = await createApiApp({ config, logger: createLogger({ level: 'silent', service: 'bench' }) });
  try {
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const sign = (claims: Parameters<typeof issueLocalToken>[1]) =>
      issueLocalToken(SECRET, claims, { expiresIn: '1h' });
    const admin = await sign({
      role: 'support-admin',
      sub: 'ana',
      email: 'ana@acme.example',
      org: 'acme.example',
      privileges: ['support'],
    });
    const supervisor = await sign({ role: 'supervisor', sub: 'sam', email: 'sam@support.example' });
    const post = async (path: string, token: string, body: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (r.status >= 300) throw new Error(`${path} answered ${r.status}: ${await r.text()}`);
      return { body: (await r.json()) as { id: string }, position: Number(r.headers.get('x-log-position')) };
    };
    const { body: opened } = await post('/v1/cases', admin, {
      subject: 'SSO login fails for the sales team',
      description: 'Nobody in sales can sign in since 9:00.',
      product: 'cloud-identity',
      language: 'en',
      channel: 'email',
      impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: true },
      workaround: 'none',
    });

    const rounds = [];
    for (const clients of CLIENT_COUNTS) {
      const readers = await Promise.all(Array.from({ length: clients }, () => StreamReader.open(base, supervisor)));
      const delays: number[] = [];
      const writes: number[] = [];
      const afterAnswer: number[] = [];
      const progressDelays: number[] = [];
      for (let i = 0; i < WRITES; i++) {
        const started = performance.now();
        // the event may be read before the write's answer: wait on its position once known
        const { position } = await post(`/v1/cases/${opened.id}/responses`, supervisor, { message: `Update ${i}.` });
        const answered = performance.now();
        writes.push(answered - started);
        await Promise.all(readers.map((r) => r.until(`event:${position}`)));
        delays.push(performance.now() - started);
        afterAnswer.push(performance.now() - answered);
        await Promise.all(readers.map((r) => r.until(`progress:${position}`)));
        progressDelays.push(performance.now() - started);
      }
      for (const reader of readers) reader.close();
      for (const list of [delays, writes, afterAnswer, progressDelays]) list.sort((a, b) => a - b);
      const figures = {
        clients,
        p50Ms: round(percentile(delays, 50)),
        p99Ms: round(percentile(delays, 99)),
        maxMs: round(delays[delays.length - 1]),
        writeP50Ms: round(percentile(writes, 50)),
        afterAnswerP99Ms: round(percentile(afterAnswer, 99)),
        progressP99Ms: round(percentile(progressDelays, 99)),
      };
      console.log(
        `${clients} client(s), ${WRITES} writes: request sent → every client read its event p50 ${figures.p50Ms} ms, ` +
          `p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms (the write's own answer p50 ${figures.writeP50Ms} ms; ` +
          `answer → every client read it p99 ${figures.afterAnswerP99Ms} ms); → progress p99 ${figures.progressP99Ms} ms`,
      );
      rounds.push(figures);
    }
    console.log(JSON.stringify({ bench: 'events-stream', rounds }));
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
