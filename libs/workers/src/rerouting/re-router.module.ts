import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import type { AppConfig } from '@app/config';
import { CommandBus } from '@nestjs/cqrs';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { CaseRouter, RoutingModule, VendorDirectory } from '@app/routing';
import { ReRouter } from './re-router';

const RE_ROUTER_POLL_MS = Symbol('RE_ROUTER_POLL_MS');

/** Runs the re-router every poll (SCHEDULER_POLL, like the timers) until shutdown. */
@Injectable()
class ReRouterLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ReRouter');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(ReRouter) private readonly reRouter: ReRouter,
    @Inject(RE_ROUTER_POLL_MS) private readonly pollMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.reRouter
        .tick()
        .then(({ rerouted }) => {
          if (rerouted > 0) this.logger.log(`routed ${rerouted} unassigned case(s) again (follow-the-sun)`);
        })
        .catch((e: unknown) => this.logger.warn(`re-routing failed, trying again: ${(e as Error).message}`))
        .finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref();
  }
}

/**
 * The re-router as a worker feature (R16): `apps/worker` runs it in server mode, the API
 * in-process in embedded mode (WorkerFeaturesModule). Needs the store, the `case_queue`
 * read model and the routing module's directory and router.
 */
@Module({})
export class ReRouterModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ReRouterModule,
      imports: [RoutingModule],
      providers: [
        { provide: RE_ROUTER_POLL_MS, useValue: config.timers.schedulerPollMs },
        {
          provide: ReRouter,
          inject: [CommandBus, SQL_DATABASE, CaseRouter, VendorDirectory, CLOCK],
          useFactory: (
            commands: CommandBus,
            db: SqlDatabase,
            router: CaseRouter,
            directory: VendorDirectory,
            clock: Clock,
          ) => new ReRouter(commands, db, router, directory, clock),
        },
        ReRouterLoop,
      ],
      exports: [ReRouter],
    };
  }
}
