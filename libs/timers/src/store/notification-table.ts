import type { SqlQueryable } from '@app/event-store';

/** A row of the notification outbox (`case_notifications`): one notified case event and what became of its e-mail. */
export interface NotificationRow {
  /** the event's id: the row's key */
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventType: string;
  /** `fr` or `en`: the case's language when the event was indexed */
  readonly language: string;
  readonly state: 'pending' | 'sent' | 'skipped' | 'failed';
  readonly attempts: number;
  readonly recipient: string | null;
  readonly messageId: string | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly sentAt: Date | null;
}

/** A row to write: the indexer's plan of one event, and the state it starts in. */
export interface NewNotificationRow {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventType: string;
  readonly language: string;
  /** `skipped` (with a note) for an event too old when first indexed */
  readonly state: 'pending' | 'skipped';
  readonly note?: string;
}

interface Row {
  event_id: string;
  stream_id: string;
  stream_version: number | string;
  event_type: string;
  language: string;
  state: NotificationRow['state'];
  attempts: number;
  recipient: string | null;
  message_id: string | null;
  last_error: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
}

const COLUMNS =
  'event_id, stream_id, stream_version, event_type, language, state, attempts, recipient, message_id, last_error, created_at, sent_at';

const toNotification = (r: Row): NotificationRow => ({
  eventId: r.event_id,
  streamId: r.stream_id,
  streamVersion: Number(r.stream_version),
  eventType: r.event_type,
  language: r.language,
  state: r.state,
  attempts: Number(r.attempts),
  recipient: r.recipient,
  messageId: r.message_id,
  lastError: r.last_error,
  createdAt: new Date(r.created_at),
  sentAt: r.sent_at === null ? null : new Date(r.sent_at),
});

/**
 * Writes the rows of a batch in the indexer's transaction, in one statement. A row whose
 * event already has one is left as it is (`ON CONFLICT DO NOTHING`): a replay of the log, a
 * rebuild of the timer index or two indexers on the same batch queue each e-mail once.
 */
export const enqueueNotifications = async (tx: SqlQueryable, rows: readonly NewNotificationRow[], now: Date) => {
  if (rows.length === 0) return;
  const params: unknown[] = [now];
  const values = rows.map((r) => {
    params.push(r.eventId, r.streamId, r.streamVersion, r.eventType, r.language, r.state, r.note ?? null);
    const n = params.length;
    return `($${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n}, $1)`;
  });
  await tx.query(
    `INSERT INTO case_notifications (event_id, stream_id, stream_version, event_type, language, state, last_error, created_at)
     VALUES ${values.join(', ')}
     ON CONFLICT (event_id) DO NOTHING`,
    params,
  );
};

/** Leases up to `limit` pending e-mails whose lease (or retry time) is over, oldest first, as `claimDue` does for timers. */
export const claimNotifications = async (
  db: SqlQueryable,
  owner: string,
  now: Date,
  until: Date,
  limit: number,
): Promise<NotificationRow[]> => {
  const { rows } = await db.query<Row>(
    `UPDATE case_notifications SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1
     WHERE event_id IN (
       SELECT event_id FROM case_notifications
       WHERE state = 'pending' AND (claimed_until IS NULL OR claimed_until <= $3)
       ORDER BY created_at, stream_id, stream_version
       LIMIT $4
       FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [owner, until, now, limit],
  );
  return rows
    .map(toNotification)
    .sort(
      (a, b) =>
        a.createdAt.getTime() - b.createdAt.getTime() ||
        a.streamId.localeCompare(b.streamId) ||
        a.streamVersion - b.streamVersion,
    );
};

/** Ends a claimed e-mail: sent (with its recipient and Message-ID), skipped or failed (with why). */
export const finishNotification = (
  db: SqlQueryable,
  eventId: string,
  owner: string,
  outcome: { state: 'sent' | 'skipped' | 'failed'; recipient?: string; messageId?: string; note?: string },
  now: Date,
) =>
  db.query(
    `UPDATE case_notifications SET state = $3, recipient = $4, message_id = $5, last_error = $6, sent_at = $7,
       claimed_by = NULL, claimed_until = NULL
     WHERE event_id = $1 AND claimed_by = $2 AND state = 'pending'`,
    [
      eventId,
      owner,
      outcome.state,
      outcome.recipient ?? null,
      outcome.messageId ?? null,
      outcome.note ?? null,
      outcome.state === 'sent' ? now : null,
    ],
  );

/** Keeps the lease until `retryAt` after a failed send: the SMTP server may be back by then. */
export const retryNotificationLater = (
  db: SqlQueryable,
  eventId: string,
  owner: string,
  retryAt: Date,
  error: string,
) =>
  db.query(
    `UPDATE case_notifications SET claimed_until = $3, last_error = $4 WHERE event_id = $1 AND claimed_by = $2`,
    [eventId, owner, retryAt, error],
  );

/** The notification e-mails of a case, in the order of its events: what went out, when, to whom, in which language. */
export const notificationsOf = async (db: SqlQueryable, streamId: string): Promise<NotificationRow[]> => {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM case_notifications WHERE stream_id = $1 ORDER BY stream_version`,
    [streamId],
  );
  return rows.map(toNotification);
};
