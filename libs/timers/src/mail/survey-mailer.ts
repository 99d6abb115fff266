import { caseDecider, foldEvents, type CaseEvent } from '@app/case-domain';
import type { Clock } from '@app/clock';
import { mailRetryDelayMs } from './mail-retry';
import type { EventStore, SqlQueryable } from '@app/event-store';
import {
  claimSurveyMails,
  finishSurveyMail,
  retrySurveyMailLater,
  type SurveyMailRow,
} from '../store/survey-mail-table';
import type { MailTransport } from './mail-transport';
import type { ReplyAddresses } from './reply-address';
import { surveyMail } from './survey-mail';
import type { SurveyTokens } from './survey-token';

export interface SurveyMailerOptions {
  readonly store: EventStore;
  readonly db: SqlQueryable;
  readonly clock: Clock;
  readonly tokens: SurveyTokens;
  readonly transport: MailTransport;
  /** SMTP_FROM */
  readonly from: string;
  /** PUBLIC_BASE_URL, without a trailing slash */
  readonly publicBaseUrl: string;
  /** AUTO_CLOSE_DAYS: the mail says until when a reply reopens the case (R15); unset, it says "until it is closed" */
  readonly autoCloseDays?: number;
  /** INBOUND_DOMAIN's signed addresses: the `Reply-To` of the mail (a reply reopens the case, R15); none without */
  readonly replyAddresses?: ReplyAddresses;
  /** who holds the leases (one id per process) */
  readonly owner: string;
  /** how long a claimed mail is held before another dispatcher may take it over; default 60 s */
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** sends tried before the mail is marked failed; default 10 */
  readonly maxAttempts?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

export interface MailDispatch {
  readonly surveyId: string;
  readonly outcome: 'sent' | 'skipped' | 'retry' | 'failed';
  readonly recipient?: string;
  /** the .eml file when no SMTP server is configured */
  readonly file?: string;
}

/**
 * R15: sends the survey e-mails the outbox (`survey_mails`) holds, one per SurveySent, in
 * the case's language (French for `fr-*`, else English: docs/notifications.md).
 * At least once: a process that dies between the SMTP server's acceptance and the row's
 * update sends that mail again when its lease runs out, with the same Message-ID. The link
 * carries a signed token naming the case and the survey.
 */
export class SurveyMailer {
  constructor(private readonly o: SurveyMailerOptions) {}

  async dispatch(): Promise<MailDispatch[]> {
    const now = this.o.clock.now();
    const lease = new Date(now.getTime() + (this.o.leaseMs ?? 60_000));
    const claimed = await claimSurveyMails(this.o.db, this.o.owner, now, lease, this.o.batchSize ?? 50);
    const results: MailDispatch[] = [];
    for (const mail of claimed) results.push(await this.send(mail, now));
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

  private async send(mail: SurveyMailRow, now: Date): Promise<MailDispatch> {
    const { db, owner } = this.o;
    try {
      const { events } = await this.o.store.readStream(mail.streamId);
      const state = foldEvents(caseDecider, events as unknown as CaseEvent[]);
      if (state.status === 'not-opened') {
        await finishSurveyMail(db, mail.surveyId, owner, { state: 'failed', note: 'case not found' }, now);
        return { surveyId: mail.surveyId, outcome: 'failed' };
      }
      const survey = state.survey;
      // nothing to ask any more: answered already, or replaced by a later resolution's survey
      if (!survey || survey.id !== mail.surveyId || survey.answer) {
        const note = survey?.id === mail.surveyId ? 'answered before the mail went out' : 'superseded';
        await finishSurveyMail(db, mail.surveyId, owner, { state: 'skipped', note }, now);
        return { surveyId: mail.surveyId, outcome: 'skipped' };
      }
      const token = await this.o.tokens.sign({ caseId: state.id, surveyId: mail.surveyId }, now);
      const recipient = state.requester.email;
      // R15: the auto-close timer's due time (calendar days after the resolution)
      const resolvedAt = state.status === 'resolved' ? state.resolution?.at : undefined;
      const closesAt =
        resolvedAt === undefined || this.o.autoCloseDays === undefined
          ? undefined
          : new Date(Date.parse(resolvedAt) + this.o.autoCloseDays * 86_400_000);
      const sent = await this.o.transport.send(
        surveyMail({
          from: this.o.from,
          to: recipient,
          caseId: state.id,
          caseSubject: state.subject,
          surveyId: mail.surveyId,
          // the web console's survey page (it answers through GET/POST /v1/surveys/{token})
          link: `${this.o.publicBaseUrl}/console/survey/${token}`,
          date: now,
          ...(closesAt === undefined ? {} : { closesAt }),
          language: state.language,
          ...this.replyTo(state.id),
        }),
      );
      await finishSurveyMail(db, mail.surveyId, owner, { state: 'sent', recipient, messageId: sent.messageId }, now);
      return { surveyId: mail.surveyId, outcome: 'sent', recipient, ...(sent.file ? { file: sent.file } : {}) };
    } catch (error) {
      this.o.onError?.(error, `survey mail ${mail.surveyId}`);
      const message = error instanceof Error ? error.message : String(error);
      if (mail.attempts >= (this.o.maxAttempts ?? 10)) {
        await finishSurveyMail(db, mail.surveyId, owner, { state: 'failed', note: message }, now);
        return { surveyId: mail.surveyId, outcome: 'failed' };
      }
      // back off: 30 s, 1 min, 2 min… up to an hour (mail-retry.ts); SMTP outages are usually short
      const delay = mailRetryDelayMs(mail.attempts);
      await retrySurveyMailLater(db, mail.surveyId, owner, new Date(now.getTime() + delay), message);
      return { surveyId: mail.surveyId, outcome: 'retry' };
    }
  }
}
