import { join } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { loadOrCreateLocalSecret } from '@app/auth';
import { CLOCK, type Clock } from '@app/clock';
import type { AppConfig } from '@app/config';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import { METRICS, type Metrics } from '@app/observability';
import { createMailTransport, type MailTransport } from './mail/mail-transport';
import { NotificationMailer } from './mail/notification-mailer';
import { ReplyAddresses } from './mail/reply-address';
import { SurveyMailer } from './mail/survey-mailer';
import { SurveyTokens } from './mail/survey-token';
import { instanceOwner, migrateTimers, TimerScheduler } from './scheduler/timer-scheduler';
import { CommandBus } from '@nestjs/cqrs';
import { SlaModule, SlaService } from '@app/sla';
import { MAIL_TRANSPORT, SURVEY_TOKENS } from './timers.tokens';

/** The survey tokens' key comes from the app's local secret (AUTH_SECRET, else `<DATA_DIR>/auth-secret`). */
export const surveyTokensFor = async (config: AppConfig): Promise<SurveyTokens> =>
  new SurveyTokens(await loadOrCreateLocalSecret(config.dataDir, config.auth.secret));

/**
 * The signed reply addresses of INBOUND_DOMAIN (the `Reply-To` of the e-mails to customers),
 * keyed by the app's local secret as the survey tokens are; undefined without INBOUND_DOMAIN.
 */
export const replyAddressesFor = async (config: AppConfig): Promise<ReplyAddresses | undefined> =>
  config.mail.inboundDomain === undefined
    ? undefined
    : new ReplyAddresses(await loadOrCreateLocalSecret(config.dataDir, config.auth.secret), config.mail.inboundDomain);

const TIMERS_CONFIG = Symbol('TIMERS_CONFIG');

/** Starts the scheduler's loop once the application is up; stops it before the store closes. */
@Injectable()
class TimersLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(TimerScheduler) private readonly scheduler: TimerScheduler,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(TIMERS_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.start(this.config.timers.schedulerPollMs);
  }

  // before, not on, application shutdown: EventStoreModule closes the database in its
  // onApplicationShutdown, and a firing in flight must finish first
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    this.transport.close();
  }
}

/**
 * The durable timers (R10 breaches, R15 surveys and auto-close), the survey e-mail and the
 * notification e-mails to customers (docs/notifications.md), as a
 * worker feature: `apps/worker` runs it in server mode, the API in-process in embedded mode
 * (WorkerFeaturesModule). Needs the EventStoreModule's store and database and a CLOCK; keeps
 * the `timers_*` metrics when the app provides `METRICS`.
 */
@Module({})
export class TimersModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = new Logger('Timers');
    const onError = (error: unknown, context: string) =>
      logger.error(`${context}: ${error instanceof Error ? error.message : String(error)}`, (error as Error)?.stack);
    return {
      module: TimersModule,
      imports: [SlaModule.forRoot(config.sla)],
      providers: [
        { provide: TIMERS_CONFIG, useValue: config },
        { provide: SURVEY_TOKENS, useFactory: () => surveyTokensFor(config) },
        {
          provide: MAIL_TRANSPORT,
          useFactory: () =>
            createMailTransport({ smtpUrl: config.mail.smtpUrl, outboxDir: join(config.dataDir, 'outbox') }),
        },
        {
          provide: TimerScheduler,
          inject: [
            EVENT_STORE,
            SQL_DATABASE,
            CLOCK,
            SlaService,
            SURVEY_TOKENS,
            MAIL_TRANSPORT,
            CommandBus,
            { token: METRICS, optional: true },
          ],
          useFactory: async (
            store: EventStore,
            db: SqlDatabase,
            clock: Clock,
            sla: SlaService,
            tokens: SurveyTokens,
            transport: MailTransport,
            commands: CommandBus,
            metrics: Metrics | undefined,
          ) => {
            await migrateTimers(db);
            const owner = instanceOwner();
            const replyAddresses = await replyAddressesFor(config);
            const mailer = new SurveyMailer({
              store,
              db,
              clock,
              tokens,
              transport,
              from: config.mail.from,
              publicBaseUrl: config.mail.publicBaseUrl,
              autoCloseDays: config.timers.autoCloseDays,
              replyAddresses,
              owner,
              onError,
            });
            const notifier = new NotificationMailer({
              store,
              db,
              clock,
              transport,
              from: config.mail.from,
              publicBaseUrl: config.mail.publicBaseUrl,
              replyAddresses,
              owner,
              onError,
            });
            return new TimerScheduler({
              store,
              commands,
              db,
              clock,
              sla,
              surveyDelayMs: config.timers.surveyDelayMs,
              autoCloseDays: config.timers.autoCloseDays,
              autoEscalateOnBreach: config.timers.autoEscalateOnBreach,
              waitingReminderDays: config.timers.waitingReminderDays,
              waitingAutoCloseDays: config.timers.waitingAutoCloseDays,
              mailer,
              notifier,
              owner,
              onError,
              metrics,
            });
          },
        },
        TimersLifecycle,
      ],
      exports: [TimerScheduler, SURVEY_TOKENS, MAIL_TRANSPORT],
    };
  }
}
