import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { METRICS, type Logger, type Metrics } from '@app/observability';
import { WORKER_CONFIG, WORKER_LOGGER } from '../worker.tokens';
import type { WorkerConfig } from '../worker.config';

/**
 * The worker's Prometheus endpoint: `GET /metrics` on HOST:WORKER_METRICS_PORT, the same
 * text format as the API's (libs/observability's registry, `service="worker"`): the Kafka
 * relay's, the timers' and the projections' metrics (WorkerProjectionMetrics), refreshed
 * from the database on each scrape, and the process's. The worker serves nothing else over HTTP, so this is plain `node:http` rather
 * than a Nest HTTP application: no routes, guards or body parsing to carry.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
  ) {}

  /** where it listens, e.g. `http://127.0.0.1:9464` (the actual port when configured with 0) */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('The worker metrics server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((req, res) => void this.answer(req, res));
    const { host, port } = this.config.metrics;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject); // e.g. EADDRINUSE: the worker does not start
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.info({ url: `${this.url}/metrics` }, 'worker metrics listening');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // a scraper's keep-alive connection would hold close() open
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed\n');
    try {
      const text = await this.metrics.render();
      res.writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      this.logger.error({ err: error }, `worker metrics: ${(error as Error).message}`);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n');
    }
  }
}
