import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule, loadOrCreateLocalSecret } from '@app/auth';
import { AppConfig, AppConfigModule } from '@app/config';
import { CLOCK, Clock, systemClock } from '@app/clock';
import { EventStoreModule } from '@app/event-store';
import { METRICS, Metrics, type Logger } from '@app/observability';
import { ROOT_LOGGER } from './app.tokens';
import { WorkerFeaturesModule } from '@app/workers';
import { CasesModule } from './cases/cases.module';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';

export interface ApiModuleOptions {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly metrics?: Metrics;
}

/** The HTTP API: wiring only; rules live in the libs. */
@Module({})
export class ApiModule {
  static forRoot({ config, logger, clock = systemClock, metrics }: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      // global: the clock and logger it provides are injected by the feature modules it imports
      global: true,
      imports: [
        AppConfigModule.forRoot(config),
        CqrsModule.forRoot(),
        AuthModule.forRootAsync({
          useFactory: async () => ({
            verifier: config.auth.oidcIssuer
              ? { mode: 'oidc' as const, issuer: config.auth.oidcIssuer, audience: config.auth.oidcAudience }
              : { mode: 'local' as const, secret: await loadOrCreateLocalSecret(config.dataDir, config.auth.secret) },
            consumerDomains: config.auth.consumerDomains,
          }),
        }),
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }) }),
        CasesModule,
        // embedded default: projections, timers and the relay run in the API process
        ...(config.workersInProcess ? [WorkerFeaturesModule.forRoot(config)] : []),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
        { provide: METRICS, useValue: metrics ?? new Metrics({ service: 'api' }) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [ROOT_LOGGER, CLOCK, METRICS],
    };
  }
}
