import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/auth';
import { METRICS, type Metrics } from '@app/observability';

/** Prometheus scrape endpoint: HTTP, command and projection metrics, plus the process's. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('content-type', this.metrics.contentType);
    return this.metrics.render();
  }
}
