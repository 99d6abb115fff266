import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { KafkaRelayModule } from '@app/messaging';
import { TimersModule } from '@app/timers';
import { ReRouterModule } from './rerouting/re-router.module';

/**
 * The background work of the system: projections, timers (SLA, surveys, auto-close) and
 * the Kafka relay. `apps/worker` runs it as its own process (server mode); in embedded mode
 * the API process imports it and runs it in-process. Each feature is a module of its own,
 * listed here, that switches itself on or off from the config.
 */
@Module({})
export class WorkerFeaturesModule {
  static forRoot(_config: AppConfig): DynamicModule {
    return {
      module: WorkerFeaturesModule,
      imports: [KafkaRelayModule.forRoot(_config), TimersModule.forRoot(_config), ReRouterModule.forRoot(_config)],
    };
  }
}
