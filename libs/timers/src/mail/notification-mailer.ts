import { caseDecider, foldEvents, type CaseEvent } from '@app/case-domain';
import type { Clock } from '@app/clock';
import { mailRetryDelayMs } from './mail-retry';
import type { EventStore, SqlQueryable } from '@app/event-store';
import { noticeOf } from '../plan/notification-plan';
import {
  claimNotifications,
  finishNotification,
  retryNotificationLater,
  type NotificationRow,
} from '../store/notification-table';
import type { MailTransport } from './mail-transport';
import { notificationMail } from './notification-mail';
import type { ReplyAddresses } from './reply-address';

export interface NotificationMailerOptions {
  readonly store: EventStore;
  readonly db: SqlQueryable;
  readonly clock: Clock;
  readonly transport: MailTransport;
  /** SMTP_FROM */
  readonly from: string;
  /** PUBLIC_BASE_URL, without a trailing slash: the link is `<base>/v1/cases/<id>` */
  readonly publicBaseUrl: string;
  /** INBOUND_DOMAIN's signed addresses: the `Reply-To` of each e-mail; none without */
  readonly replyAddresses?: ReplyAddresses;
  /** who holds the leases (one id per process) */
  readonly owner: string;
  /** how long a claimed e-mail is held before another dispatcher may take it over; default 60 s */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** sends tried before the e-mail is marked failed; default 10 */
  readonly maxAttempts?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

export interface NotificationDispatch {
  readonly eventId: string;
  readonly eventType: string;
  readonly outcome: 'sent' | 'skipped' | 'retry' | 'failed';
  readonly recipient?: string;
  /** the .eml file when no SMTP server is configured */
  readonly file?: string;
}

/**
 * Sends the notification e-mails the outbox (`case_notifications`) holds, one per notified
 * case event (docs/notifications.md). Each is written from the case as it stood right after
 * its event (the stream read and folded up to the event's version: its language, subject
 * and requester), so a later change of the case never changes an e-mail already queued.
 * At least once: a process that dies between the SMTP server's acceptance and the row's
 * update sends that e-mail again when its lease runs out, with the same Message-ID. An SMTP
 * failure keeps the row pending and tries again after a backoff; after `maxAttempts` the row
 * is `failed`, with the last error.
 */
export class NotificationMailer {
  constructor(private readonly o: NotificationMailerOptions) {}

  async dispatch(): Promise<NotificationDispatch[]> {
    const now = this.o.clock.now();
    const lease = new Date(now.getTime() + (this.o.leaseMs ?? 60_000));
    const claimed = await claimNotifications(this.o.db, this.o.owner, now, lease, this.o.batchSize ?? 50);
    const results: NotificationDispatch[] = [];
    for (const row of claimed) results.push(await this.send(row, now));
    return results;
  }

  /** The case's signed reply address, when the desk receives replies (a case id that is no UUID has none). */
  private replyTo(caseId: string): { replyTo?: string } {
    if (!this.o.replyAddresses) return {};
    try {
      return { replyTo: this.o.replyAddresses.addressFor(caseId) };
    } catch {
      return {};
    }
  }

  private async send(row: NotificationRow, now: Date): Promise<NotificationDispatch> {
    const { db, owner } = this.o;
    const done = async (state: 'skipped' | 'failed', note: string): Promise<NotificationDispatch> => {
      await finishNotification(db, row.eventId, owner, { state, note }, now);
      return { eventId: row.eventId, eventType: row.eventType, outcome: state };
    };
    try {
      const { events } = await this.o.store.readStream(row.streamId);
      const event = events[row.streamVersion - 1];
      if (!event || event.eventId !== row.eventId) return await done('failed', 'event not found in its stream');
      const upTo = events.slice(0, row.streamVersion) as unknown as CaseEvent[];
      const state = foldEvents(caseDecider, upTo);
      const notice = noticeOf(state, event);
      if (state.status === 'not-opened' || notice === null) return await done('failed', 'not a notified case event');
      const recipient = state.requester.email;
      const sent = await this.o.transport.send(
        notificationMail({
          from: this.o.from,
          to: recipient,
          ...this.replyTo(state.id),
          caseId: state.id,
          caseSubject: state.subject,
          language: state.language,
          link: `${this.o.publicBaseUrl}/v1/cases/${state.id}`,
          eventId: row.eventId,
          notice,
          date: now,
        }),
      );
      await finishNotification(db, row.eventId, owner, { state: 'sent', recipient, messageId: sent.messageId }, now);
      return {
        eventId: row.eventId,
        eventType: row.eventType,
        outcome: 'sent',
        recipient,
        ...(sent.file ? { file: sent.file } : {}),
      };
    } catch (error) {
      this.o.onError?.(error, `notification mail ${row.eventType} ${row.eventId}`);
      const message = error instanceof Error ? error.message : String(error);
      if (row.attempts >= (this.o.maxAttempts ?? 10)) return done('failed', message);
      const retryAt = new Date(now.getTime() + mailRetryDelayMs(row.attempts));
      await retryNotificationLater(db, row.eventId, owner, retryAt, message);
      return { eventId: row.eventId, eventType: row.eventType, outcome: 'retry' };
    }
  }
}
