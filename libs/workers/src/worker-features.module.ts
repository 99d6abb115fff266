import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { InboundMailModule } from '@app/inbound-mail';
import { KafkaRelayModule } from '@app/messaging';
import { TimersModule } from '@app/timers';
import { IntakeSweepModule } from './intakes/intake-sweep.module';
import { ReRouterModule } from './rerouting/re-router.module';

/**
 * The background work of the system: projections, timers (SLA, surveys, auto-close), the
 * Kafka relay, the re-router, the help assistant's intake sweep and the listener of the
 * customers' e-mail replies. `apps/worker` runs it as its own process (server mode); in
 * embedded mode the API process imports it and runs it in-process. Each feature is a module
 * of its own, listed here, that switches itself on or off from the config.
 */
@Module({})
export class WorkerFeaturesModule {
  static forRoot(_config: AppConfig): DynamicModule {
    return {
      module: WorkerFeaturesModule,
      imports: [
        KafkaRelayModule.forRoot(_config),
        TimersModule.forRoot(_config),
        ReRouterModule.forRoot(_config),
        // R5–R8: idle intakes abandoned, requested cases opened after a crash
        IntakeSweepModule.forRoot(_config),
        // the customers' e-mail replies, filed on their cases (empty without INBOUND_SMTP_PORT)
        InboundMailModule.forRoot(_config),
      ],
    };
  }
}
