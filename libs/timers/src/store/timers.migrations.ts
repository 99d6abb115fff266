import type { Migration } from '@app/event-store';

/**
 * The timers' own tables (docs/sla.md). Every row is derived from the event log by the
 * timer indexer, so the due times survive a restart and can be rebuilt from the log.
 *
 * - timers: one row per timer (SLA breach of a clock and cycle, survey, auto-close, and the
 *   reminder and the auto-close of a wait on the customer, migration 3), with
 *   its due time. `claimed_by`/`claimed_until` is a lease: a scheduler that takes a due
 *   timer holds it for a while, so a second scheduler skips it (`FOR UPDATE SKIP LOCKED`);
 *   a scheduler that dies lets its lease run out and another takes the timer over.
 * - timer_plans: the case version each case's timers were planned from, so that a slower
 *   indexer never overwrites a newer plan with an older one.
 * - survey_mails: the transactional outbox of survey e-mails (R15), one row per SurveySent,
 *   written in the indexer's transaction; the dispatcher sends each and marks it sent.
 * - timer_checkpoints: how far in the global log the indexer has read, written in the same
 *   transaction as the rows it derived. (transaction_id, global_position) is the log's order.
 *   Since version 5, a row of the store's `checkpoints` table.
 */
const timers: Migration = {
  version: 1,
  name: 'timers, timer plans, survey mail outbox, checkpoints',
  sql: `
CREATE TABLE timers (
  timer_id text NOT NULL,
  kind text NOT NULL,
  stream_id text NOT NULL,
  due_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  state text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  claimed_by text,
  claimed_until timestamptz,
  last_error text,
  planned_version bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  done_at timestamptz,
  CONSTRAINT timers_pkey PRIMARY KEY (timer_id),
  CONSTRAINT timers_kind_check CHECK (kind IN ('sla-breach', 'send-survey', 'auto-close')),
  CONSTRAINT timers_state_check CHECK (state IN ('pending', 'done', 'cancelled', 'failed'))
);
CREATE INDEX timers_pending_due_idx ON timers (due_at) WHERE state = 'pending';
CREATE INDEX timers_stream_idx ON timers (stream_id);

CREATE TABLE timer_plans (
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  planned_at timestamptz NOT NULL,
  CONSTRAINT timer_plans_pkey PRIMARY KEY (stream_id)
);

CREATE TABLE survey_mails (
  survey_id text NOT NULL,
  stream_id text NOT NULL,
  cycle integer NOT NULL,
  state text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  claimed_by text,
  claimed_until timestamptz,
  last_error text,
  recipient text,
  message_id text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  CONSTRAINT survey_mails_pkey PRIMARY KEY (survey_id),
  CONSTRAINT survey_mails_state_check CHECK (state IN ('pending', 'sent', 'skipped', 'failed'))
);
CREATE INDEX survey_mails_pending_idx ON survey_mails (created_at) WHERE state = 'pending';

CREATE TABLE timer_checkpoints (
  name text NOT NULL,
  transaction_id xid8 NOT NULL,
  global_position bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT timer_checkpoints_pkey PRIMARY KEY (name)
);
`,
};

/**
 * case_notifications: the transactional outbox of the notification e-mails to customers
 * (docs/notifications.md), one row per notified case event, keyed by the event's id and
 * written in the indexer's transaction, so that a rebuild or a replay of the log finds the
 * row and sends nothing again. The row is the record of what went out: the recipient, the
 * Message-ID, when (`sent_at`), in which language, or why not (`last_error`).
 */
const caseNotifications: Migration = {
  version: 2,
  name: 'case notification e-mail outbox',
  sql: `
CREATE TABLE case_notifications (
  event_id text NOT NULL,
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  event_type text NOT NULL,
  language text NOT NULL,
  state text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  claimed_by text,
  claimed_until timestamptz,
  last_error text,
  recipient text,
  message_id text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  CONSTRAINT case_notifications_pkey PRIMARY KEY (event_id),
  CONSTRAINT case_notifications_state_check CHECK (state IN ('pending', 'sent', 'skipped', 'failed'))
);
CREATE INDEX case_notifications_pending_idx ON case_notifications (created_at) WHERE state = 'pending';
CREATE INDEX case_notifications_stream_idx ON case_notifications (stream_id, stream_version);
`,
};

/**
 * R11: the waiting timers (the reminder of a case awaiting the customer, and its resolution
 * no-customer-answer) are two more kinds. Version 3: version 2 is the notification outbox's.
 */
const waitingTimerKinds: Migration = {
  version: 3,
  name: 'waiting timer kinds',
  sql: `
ALTER TABLE timers DROP CONSTRAINT timers_kind_check;
ALTER TABLE timers ADD CONSTRAINT timers_kind_check
  CHECK (kind IN ('sla-breach', 'send-survey', 'auto-close', 'waiting-reminder', 'waiting-auto-close'));
`,
};

/**
 * contact_preferences: a person's own setting for the notification e-mails of all their cases
 * (`ContactNotificationsChanged`, stream `contact-<address>`), as the timer indexer has read
 * it so far in the log, written in the indexer's transaction with its checkpoint: an e-mail
 * is planned by the setting as it stood at the event that gives it, also on a rebuild. Only
 * people who changed it have a row; no row is "on".
 */
const contactPreferences: Migration = {
  version: 4,
  name: 'contact notification preferences',
  sql: `
CREATE TABLE contact_preferences (
  email text NOT NULL,
  notifications_enabled boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT contact_preferences_pkey PRIMARY KEY (email)
);
`,
};

/**
 * The indexer's checkpoint moves to the store's `checkpoints` table (event store migration 3,
 * applied before this one by createEventStore), under the component `timers`, with its row:
 * a deployed indexer goes on from where it was, so no timer is planned again from the start
 * of the log and no outbox row written twice. Then the old table goes.
 */
const sharedCheckpoints: Migration = {
  version: 5,
  name: "checkpoint into the store's table",
  sql: `
INSERT INTO checkpoints (component, name, transaction_id, global_position, updated_at)
SELECT 'timers', name, transaction_id, global_position, updated_at FROM timer_checkpoints;
DROP TABLE timer_checkpoints;
`,
};

/** Add, never edit: an applied migration whose text changed is refused at start. */
export const TIMERS_MIGRATIONS: readonly Migration[] = [
  timers,
  caseNotifications,
  waitingTimerKinds,
  contactPreferences,
  sharedCheckpoints,
];
export const TIMERS_COMPONENT = 'timers';
