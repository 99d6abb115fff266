import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Public } from '@app/auth';
import { ProjectionMetrics } from '../metrics/projection-metrics.service';
import { ApiProblems, ApiPublicOperation, type ProblemSpec } from '../openapi/api-problems';

/** A probe takes no input, but every request's query passes the text check. */
const BAD_QUERY: ProblemSpec = [400, 'a NUL character or an unpaired surrogate in the query (HTTP.VALIDATION_FAILED)'];

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ProjectionMetrics) private readonly projections: ProjectionMetrics,
  ) {}

  /** The process is up (no dependency is checked). */
  @Get('live')
  @HttpCode(200)
  @ApiPublicOperation('Liveness: the process answers (nothing else is checked)')
  @ApiOkResponse({ description: 'The process answers.' })
  @ApiProblems(BAD_QUERY)
  live() {
    return { status: 'ok' };
  }

  /** The store answers and its migrations ran. */
  @Get('ready')
  @ApiPublicOperation('Readiness: the event store answers and its migrations ran; projections are shown')
  @ApiOkResponse({ description: 'Ready: migrations ran and the event store answers.' })
  @ApiProblems(BAD_QUERY, [503, 'not ready: the event store does not answer (HEALTH.NOT_READY)'])
  async ready() {
    const started = Date.now();
    try {
      await this.store.ping();
    } catch (e) {
      throw new ServiceUnavailableException({
        code: 'HEALTH.NOT_READY',
        message: `The event store (${this.config.mode}) does not answer: ${(e as Error).message}`,
      });
    }
    const eventStore = { status: 'up', mode: this.config.mode, ms: Date.now() - started };
    // read models lagging behind do not make the API unready (reads say `caughtUp`); they are shown here
    const projections = await this.projections
      .refresh()
      .then((all) =>
        Object.fromEntries(
          all.map(({ name, ...figures }) => [
            name,
            { status: figures.parkedEvents > 0 ? 'parked-events' : 'up', ...figures },
          ]),
        ),
      )
      .catch((e: unknown) => ({ status: 'unknown', error: (e as Error).message }));
    return { status: 'ok', details: { eventStore, projections } };
  }
}
