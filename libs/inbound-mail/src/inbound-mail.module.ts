import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AttachmentsModule, AttachmentStore } from '@app/attachments';
import { createAccessPolicy, loadOrCreateLocalSecret } from '@app/auth';
import { CLOCK, type Clock } from '@app/clock';
import type { AppConfig } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { METRICS, type Metrics } from '@app/observability';
import { ReplyAddresses } from '@app/timers';
import { InboundMailbox } from './inbound-mailbox';
import { InboundSmtpServer } from './inbound-smtp-server';

/** the most one message may have, whatever ATTACHMENT_MAX_BYTES: it is held in memory while parsed */
export const INBOUND_MESSAGE_CEILING_BYTES = 256 * 1024 * 1024;

/**
 * The largest message the listener takes: three times ATTACHMENT_MAX_BYTES (one file at the
 * limit, ×4/3 in base64, and about as much again in other files and text), at most
 * {@link INBOUND_MESSAGE_CEILING_BYTES}. Each file is still held to ATTACHMENT_MAX_BYTES.
 */
export const inboundMessageMaxBytes = (attachmentMaxBytes: number): number =>
  Math.min(3 * attachmentMaxBytes, INBOUND_MESSAGE_CEILING_BYTES);

const INBOUND_CONFIG = Symbol('INBOUND_CONFIG');

/** Listens once the application is up; stops listening before the store closes. */
@Injectable()
class InboundMailLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('InboundMail');

  constructor(
    @Inject(InboundSmtpServer) private readonly server: InboundSmtpServer,
    @Inject(INBOUND_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port = 0, host } = this.config.inboundMail;
    const address = await this.server.listen(port, host);
    this.logger.log(
      `listening on ${address.address}:${address.port} for the replies to ${this.config.mail.inboundDomain}`,
    );
  }

  // before, not on, application shutdown: a delivery in flight writes to the store
  async beforeApplicationShutdown(): Promise<void> {
    await this.server.close();
  }
}

/**
 * The customers' e-mail replies as a worker feature: `apps/worker` runs it in server mode,
 * the API in-process in embedded mode (WorkerFeaturesModule). Off (an empty module) unless
 * INBOUND_SMTP_PORT is set; then listens on INBOUND_SMTP_HOST for INBOUND_DOMAIN. Needs the
 * store, the command door and a CLOCK; stores files with @app/attachments; counts
 * `inbound_mail_total{outcome}` when the app provides `METRICS`.
 */
@Module({})
export class InboundMailModule {
  static forRoot(config: AppConfig): DynamicModule {
    const domain = config.mail.inboundDomain;
    if (config.inboundMail.port === undefined || domain === undefined) return { module: InboundMailModule };
    const logger = new Logger('InboundMail');
    const policy = createAccessPolicy({ consumerDomains: config.auth.consumerDomains });
    return {
      module: InboundMailModule,
      imports: [AttachmentsModule],
      providers: [
        { provide: INBOUND_CONFIG, useValue: config },
        {
          provide: InboundMailbox,
          inject: [EVENT_STORE, CommandBus, AttachmentStore, CLOCK],
          useFactory: async (store: EventStore, commands: CommandBus, attachments: AttachmentStore, clock: Clock) =>
            new InboundMailbox({
              store,
              commands,
              attachments,
              // the key of the Reply-To addresses the case e-mails carry: the app's local secret
              addresses: new ReplyAddresses(await loadOrCreateLocalSecret(config.dataDir, config.auth.secret), domain),
              isConsumerDomain: policy.isConsumerDomain,
              clock,
            }),
        },
        {
          provide: InboundSmtpServer,
          inject: [InboundMailbox, { token: METRICS, optional: true }],
          useFactory: (mailbox: InboundMailbox, metrics: Metrics | undefined) =>
            new InboundSmtpServer({
              mailbox,
              name: domain,
              maxMessageBytes: inboundMessageMaxBytes(config.attachments.maxBytes),
              onDelivered: (d) => {
                metrics?.inboundMail.inc({ outcome: d.replayed ? 'already-recorded' : 'recorded' });
                logger.log(
                  d.replayed
                    ? `${d.messageId} was recorded on case ${d.caseId} already`
                    : `${d.messageId} recorded on case ${d.caseId}: ${d.events.join(', ')}`,
                );
              },
              onRefused: (refusal, stage) => {
                metrics?.inboundMail.inc({ outcome: refusal.reason });
                // the reason, not the sentence: that names the sender's address
                const line = `refused at ${stage === 'rcpt' ? 'RCPT' : 'DATA'}: ${refusal.responseCode} ${refusal.enhancedCode} ${refusal.reason}`;
                if (refusal.responseCode >= 500) logger.log(line);
                else logger.warn(`${line} (${(refusal.cause as Error | undefined)?.message ?? 'no cause'})`);
              },
              onError: (error) => logger.warn(`connection: ${error.message}`),
            }),
        },
        InboundMailLifecycle,
      ],
      exports: [InboundMailbox, InboundSmtpServer],
    };
  }
}
