import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/auth';
import { METRICS, type Metrics } from '@app/observability';
import { ProjectionMetrics } from './projection-metrics.service';

/** Prometheus scrape endpoint: HTTP, command and projection metrics, plus the process's. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(ProjectionMetrics) private readonly projections: ProjectionMetrics,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply) {
    // the lag gauges as of this scrape (a failure leaves the last values: the scrape still answers)
    await this.projections.refresh().catch(() => undefined);
    void reply.header('content-type', this.metrics.contentType);
    return this.metrics.render();
  }
}
