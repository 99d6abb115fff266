import type { SqlQueryable } from '@app/event-store';

export interface SurveyMailRow {
  readonly surveyId: string;
  readonly streamId: string;
  readonly cycle: number;
  readonly state: 'pending' | 'sent' | 'skipped' | 'failed';
  readonly attempts: number;
  readonly recipient: string | null;
  readonly messageId: string | null;
  readonly lastError: string | null;
}

interface Row {
  survey_id: string;
  stream_id: string;
  cycle: number;
  state: SurveyMailRow['state'];
  attempts: number;
  recipient: string | null;
  message_id: string | null;
  last_error: string | null;
}

const toMail = (r: Row): SurveyMailRow => ({
  surveyId: r.survey_id,
  streamId: r.stream_id,
  cycle: Number(r.cycle),
  state: r.state,
  attempts: Number(r.attempts),
  recipient: r.recipient,
  messageId: r.message_id,
  lastError: r.last_error,
});

/** One outbox row per SurveySent (R15), written in the indexer's transaction; a repeat is a no-op. */
export const enqueueSurveyMail = (tx: SqlQueryable, surveyId: string, streamId: string, cycle: number, now: Date) =>
  tx.query(
    `INSERT INTO survey_mails (survey_id, stream_id, cycle, state, created_at) VALUES ($1, $2, $3, 'pending', $4)
     ON CONFLICT (survey_id) DO NOTHING`,
    [surveyId, streamId, cycle, now],
  );

/** Leases up to `limit` mails to send, as `claimDue` does for timers. */
export const claimSurveyMails = async (
  db: SqlQueryable,
  owner: string,
  now: Date,
  until: Date,
  limit: number,
): Promise<SurveyMailRow[]> => {
  const { rows } = await db.query<Row>(
    `UPDATE survey_mails SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1
     WHERE survey_id IN (
       SELECT survey_id FROM survey_mails
       WHERE state = 'pending' AND (claimed_until IS NULL OR claimed_until <= $3)
       ORDER BY created_at, survey_id LIMIT $4
       FOR UPDATE SKIP LOCKED)
     RETURNING survey_id, stream_id, cycle, state, attempts, recipient, message_id, last_error`,
    [owner, until, now, limit],
  );
  return rows.map(toMail);
};

/** Ends a claimed mail: sent (with its recipient and Message-ID), skipped or failed. */
export const finishSurveyMail = (
  db: SqlQueryable,
  surveyId: string,
  owner: string,
  outcome: { state: 'sent' | 'skipped' | 'failed'; recipient?: string; messageId?: string; note?: string },
  now: Date,
) =>
  db.query(
    `UPDATE survey_mails SET state = $3, recipient = $4, message_id = $5, last_error = $6, sent_at = $7,
       claimed_by = NULL, claimed_until = NULL
     WHERE survey_id = $1 AND claimed_by = $2 AND state = 'pending'`,
    [surveyId, owner, outcome.state, outcome.recipient ?? null, outcome.messageId ?? null, outcome.note ?? null, now],
  );

/** Keeps the lease until `retryAt` after a failed send (the SMTP server may be back by then). */
export const retrySurveyMailLater = (db: SqlQueryable, surveyId: string, owner: string, retryAt: Date, error: string) =>
  db.query(`UPDATE survey_mails SET claimed_until = $3, last_error = $4 WHERE survey_id = $1 AND claimed_by = $2`, [
    surveyId,
    owner,
    retryAt,
    error,
  ]);

export const surveyMailsOf = async (db: SqlQueryable, streamId: string): Promise<SurveyMailRow[]> => {
  const { rows } = await db.query<Row>(
    `SELECT survey_id, stream_id, cycle, state, attempts, recipient, message_id, last_error
     FROM survey_mails WHERE stream_id = $1 ORDER BY created_at, survey_id`,
    [streamId],
  );
  return rows.map(toMail);
};
