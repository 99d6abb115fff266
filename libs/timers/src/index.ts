/**
 * @app/timers: the durable timers of the support desk (docs/sla.md) and the survey e-mail.
 * The calendars and the SLA policy are @app/sla's (`SlaService`): the timers read a case's
 * SLA figures from it to plan and fire breaches.
 *
 * - Timers: a checkpointed indexer derives due times from the event log into the `timers`
 *   table; `TimerScheduler.tick()` fires what is due at the injected clock's now: an
 *   `SlaBreached` (and an optional escalation), `SurveySent` after SURVEY_DELAY, `Closed`
 *   after AUTO_CLOSE_DAYS. Exactly once per timer, with any number of schedulers.
 * - Survey e-mail (R15): an outbox row per SurveySent, sent by nodemailer over SMTP or
 *   written as .eml under DATA_DIR/outbox, with a signed single-use link (`SurveyTokens`).
 * - Notification e-mails (docs/notifications.md): an outbox row per notified case event
 *   (`plannedNotification`), sent alike by `NotificationMailer`, in the case's language,
 *   with the case's signed `Reply-To` (`ReplyAddresses`) when INBOUND_DOMAIN is set.
 */
export {
  DEFAULT_WAITING_DAYS,
  plannedTimers,
  timerId,
  TIMER_KINDS,
  waitingDueTimes,
  type PlannedTimer,
  type TimerKind,
  type TimerPayload,
  type TimerPlanSettings,
  type WaitingDays,
  type WaitingSettings,
} from './plan/timer-plan';
export {
  instanceOwner,
  migrateTimers,
  TimerScheduler,
  type FiredTimer,
  type TickResult,
  type TimerSchedulerOptions,
} from './scheduler/timer-scheduler';
export {
  AUTO_CLOSER,
  SLA_TIMER,
  WAITING_TIMER,
  fireTimer,
  unansweredSummary,
  type FireOutcome,
} from './scheduler/timer-firing';
export { TimerIndexer, TIMER_INDEX_CHECKPOINT } from './scheduler/timer-indexer';
export { timersOf, nextDueAt, pendingTimerCounts, type PendingTimerCounts, type TimerRow } from './store/timer-table';
export { surveyMailsOf, type SurveyMailRow } from './store/survey-mail-table';
export { notificationsOf, type NotificationRow } from './store/notification-table';
export {
  NOTIFICATION_MAX_AGE_MS,
  NOTIFIED_EVENT_TYPES,
  UNSTOPPABLE_EVENT_TYPES,
  noticeOf,
  plannedNotification,
  type NotifiableEvent,
  type PlannedNotification,
} from './plan/notification-plan';
export { TIMERS_COMPONENT, TIMERS_MIGRATIONS } from './store/timers.migrations';
export { createMailTransport, type MailMessage, type MailTransport, type SentMail } from './mail/mail-transport';
export { surveyMail } from './mail/survey-mail';
export { mailLanguage, MAIL_LANGUAGES, type MailLanguage } from './mail/mail-language';
export {
  notificationMail,
  INFO_ITEM_WORDS,
  OUTCOME_WORDS,
  type CaseNotice,
  type CaseNoticeKind,
  type NotificationMailInput,
} from './mail/notification-mail';
export {
  NotificationMailer,
  type NotificationDispatch,
  type NotificationMailerOptions,
} from './mail/notification-mailer';
export { MAIL_RETRY, mailRetryDelayMs } from './mail/mail-retry';
export { ReplyAddresses } from './mail/reply-address';
export { SurveyMailer, type MailDispatch, type SurveyMailerOptions } from './mail/survey-mailer';
export {
  InvalidSurveyToken,
  SurveyTokens,
  SURVEY_TOKEN_LIFETIME_SECONDS,
  type SurveyTokenClaims,
} from './mail/survey-token';
export { TimersModule, replyAddressesFor, surveyTokensFor } from './timers.module';
export { MAIL_TRANSPORT, SURVEY_TOKENS } from './timers.tokens';
