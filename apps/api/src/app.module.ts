import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule, loadOrCreateLocalSecret } from '@app/auth';
import { AppConfig, AppConfigModule } from '@app/config';
import { CLOCK, Clock, systemClock } from '@app/clock';
import { EventStoreModule } from '@app/event-store';
import { METRICS, Metrics, type Logger } from '@app/observability';
import { ROOT_LOGGER } from './app.tokens';
import { ProjectionsModule } from '@app/projections';
import { allProjections, WorkerFeaturesModule } from '@app/workers';
import { SlaModule, SlaService } from '@app/sla';
import { RoutingModule } from '@app/routing';
import { CommandsModule } from '@app/commands';
import { AgentsSeenInterceptor } from './agents/agents-seen.interceptor';
import { AuditModule } from './audit/audit.module';
import { IntakesModule } from './intakes/intakes.module';
import { CasesModule } from './cases/cases.module';
import { HelpModule } from './help/help.module';
import { SurveysModule } from './surveys/surveys.module';
import { ConsoleModule } from './console/console.module';
import { EventsStreamModule } from './events-stream/events-stream.module';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ProjectionMetrics } from './metrics/projection-metrics.service';
import { QueuesModule } from './queues/queues.module';
import { ReportsModule } from './reports/reports.module';
import { VendorsModule } from './vendors/vendors.module';
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
        AuthModule.forRootAsync({
          useFactory: async () => ({
            verifier: config.auth.oidcIssuer
              ? { mode: 'oidc' as const, issuer: config.auth.oidcIssuer, audience: config.auth.oidcAudience }
              : { mode: 'local' as const, secret: await loadOrCreateLocalSecret(config.dataDir, config.auth.secret) },
            consumerDomains: config.auth.consumerDomains,
          }),
        }),
        EventStoreModule.forRootAsync({
          useFactory: () => ({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }),
        }),
        // R10: the calendars and the SLA policy, for the terms of new cases and the SLA figures
        SlaModule.forRoot(config.sla),
        // R4, R16: the vendor directory and the case router (registers the starting vendors of VENDORS_FILE the log lacks)
        RoutingModule,
        // the command door: the CommandBus and the handlers of every write (cases, incidents, vendors)
        CommandsModule.forRoot({ surveyDelayMs: config.timers.surveyDelayMs }),
        // the registry answers read-your-writes waits; its runners run here only in-process
        ProjectionsModule.forRootAsync({
          inject: [SlaService],
          useFactory: (sla: SlaService) => ({ projections: allProjections(sla), autoStart: config.workersInProcess }),
        }),
        CasesModule,
        IntakesModule,
        // R5: the help-centre articles (creates the starting articles of HELP_ARTICLES_FILE the log lacks)
        HelpModule,
        VendorsModule,
        QueuesModule,
        ReportsModule,
        AuditModule,
        SurveysModule,
        // the web console's sign-in and configuration (its files: serveConsole in bootstrap.ts)
        ConsoleModule,
        // GET /v1/events/stream: the live case events, filtered per caller (R3, R4)
        EventsStreamModule,
        // embedded default: projections, timers and the relay run in the API process
        ...(config.workersInProcess ? [WorkerFeaturesModule.forRoot(config)] : []),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
        { provide: METRICS, useValue: metrics ?? new Metrics({ service: 'api' }) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // R4: agents are known from the tokens they present (the agents directory)
        { provide: APP_INTERCEPTOR, useClass: AgentsSeenInterceptor },
        ProjectionMetrics,
      ],
      exports: [ROOT_LOGGER, CLOCK, METRICS],
    };
  }
}
