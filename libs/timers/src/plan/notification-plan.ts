import type { CaseState } from '@app/case-domain';
import type { CaseNotice } from '../mail/notification-mail';
import { mailLanguage, type MailLanguage } from '../mail/mail-language';

/**
 * The case events the customer hears about by e-mail (docs/notifications.md), and only these:
 * an internal note (`InternalNoteAdded`), a routing, an escalation, an SLA breach, a priority
 * change, the customer's own writes and every other event are never e-mailed. The survey
 * has its own outbox (`survey_mails`, one row per `SurveySent`). `CustomerReminded` is
 * written by the waiting-on-customer timer.
 */
export const NOTIFIED_EVENT_TYPES = [
  'AgentResponded',
  'InfoRequested',
  'Resolved',
  'Reopened',
  'CreditIssued',
  'IncidentReportSent',
  'Closed',
  'CustomerReminded',
] as const;

/** Sent even when the customer turned the case's notifications off: they ask the customer for something. */
export const UNSTOPPABLE_EVENT_TYPES: readonly string[] = ['InfoRequested', 'CustomerReminded'];

/**
 * An event older than this when the indexer first reads it is not e-mailed (its row is
 * `skipped`): a timer index rebuilt from the start of an old log must not send last year's
 * news. A week covers any outage of the workers.
 */
export const NOTIFICATION_MAX_AGE_MS = 7 * 86_400_000;

/** An event as the planner reads it: a recorded case event (its data untyped, so an event type added later is handled alike). */
export interface NotifiableEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
}

/** An outbox row to write: the event's id is its key. */
export interface PlannedNotification {
  readonly eventId: string;
  readonly eventType: string;
  readonly language: MailLanguage;
}

const isNotified = (type: string): boolean => (NOTIFIED_EVENT_TYPES as readonly string[]).includes(type);

/**
 * The notification e-mail an event of a case gives, or null, from the case as it stands
 * right after the event (`state`): one of {@link NOTIFIED_EVENT_TYPES}, to a case whose
 * requester has an address, and, when the customer turned the case's notifications off
 * (`NotificationsChanged`, folded in `notificationsEnabled`), only the information requests
 * and their reminders. The language is the case's (French for `fr-*`, else English). Pure.
 */
export const plannedNotification = (state: CaseState, event: NotifiableEvent): PlannedNotification | null => {
  if (state.status === 'not-opened' || !isNotified(event.type) || !state.requester.email) return null;
  if (!state.notificationsEnabled && !UNSTOPPABLE_EVENT_TYPES.includes(event.type)) return null;
  // a reminder the case no longer waits for (answered meanwhile) tells the customer nothing true
  if (event.type === 'CustomerReminded' && state.status !== 'awaiting-customer') return null;
  return { eventId: event.eventId, eventType: event.type, language: mailLanguage(state.language) };
};

type Data = Readonly<Record<string, unknown>>;
const str = (data: Data, key: string): string => (typeof data[key] === 'string' ? (data[key] as string) : '');
const optional = (data: Data, key: string): string | undefined =>
  typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : undefined;

/**
 * What the e-mail of a notified event says, from the event and the case right after it (a
 * reminder lists the items still asked for). Null for an event that is not notified. Pure.
 */
export const noticeOf = (state: CaseState, event: Omit<NotifiableEvent, 'eventId'>): CaseNotice | null => {
  const data = (event.data ?? {}) as Data;
  switch (event.type) {
    case 'AgentResponded':
      return { kind: 'agent-responded', message: str(data, 'message') };
    case 'InfoRequested':
      return {
        kind: 'info-requested',
        items: Array.isArray(data.items) ? (data.items as string[]) : [],
        message: str(data, 'message'),
      };
    case 'Resolved': {
      const recommendations = optional(data, 'recommendations');
      const featureRequestUrl = optional(data, 'featureRequestUrl');
      return {
        kind: 'resolved',
        outcome: str(data, 'outcome'),
        summary: str(data, 'summary'),
        ...(recommendations === undefined ? {} : { recommendations }),
        ...(featureRequestUrl === undefined ? {} : { featureRequestUrl }),
      };
    }
    case 'Reopened':
      return { kind: 'reopened' };
    case 'CreditIssued':
      return { kind: 'credit-issued', amount: Number(data.amount), currency: str(data, 'currency') };
    case 'IncidentReportSent':
      return { kind: 'incident-report-sent', reportUrl: str(data, 'reportUrl') };
    case 'Closed':
      return { kind: 'closed', outcome: str(data, 'outcome') };
    case 'CustomerReminded':
      return {
        kind: 'customer-reminded',
        items: state.status === 'not-opened' ? [] : (state.pendingInfoRequest?.items ?? []),
        waitingSince: str(data, 'waitingSince'),
      };
    default:
      return null;
  }
};
