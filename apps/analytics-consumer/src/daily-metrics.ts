import type { SqlQueryable } from '@app/event-store';
import type { CaseEventEnvelope } from '@app/messaging';

/**
 * How one published case event changes the daily metrics (per UTC day of `occurredAt` and
 * tenant): cases opened; first responses, of which measured against an SLA, of which within
 * it; resolutions (and by outcome); CSAT answers, rating sum, satisfied answers (4 or 5).
 *
 * "Within SLA" needs no clock here: the SLA feature records a missed target as an event
 * (`SlaBreached`, R10). A first response is within its SLA when the case is measured
 * (`Opened` carries `sla`) and no first-response breach is recorded for its cycle; a breach
 * recorded after the response (a late timer) takes the response out of "within" again.
 * Each case's events arrive in order (one key, one partition), so replaying the topic from
 * offset 0 gives the same tables.
 */
type Counter =
  | 'cases_opened'
  | 'first_responses'
  | 'first_responses_with_sla'
  | 'first_responses_within_sla'
  | 'resolutions'
  | 'csat_responses'
  | 'csat_rating_sum'
  | 'csat_satisfied';

const bump = async (tx: SqlQueryable, day: string, tenant: string, deltas: Partial<Record<Counter, number>>) => {
  const columns = Object.keys(deltas) as Counter[];
  await tx.query(
    `INSERT INTO analytics_daily_metrics (day, tenant, ${columns.join(', ')})
     VALUES ($1, $2, ${columns.map((_, i) => `$${i + 3}`).join(', ')})
     ON CONFLICT (day, tenant) DO UPDATE SET ${columns
       .map((c) => `${c} = analytics_daily_metrics.${c} + EXCLUDED.${c}`)
       .join(', ')}`,
    [day, tenant, ...columns.map((c) => deltas[c])],
  );
};

interface CaseRow {
  readonly tenant: string;
  readonly cycle: number;
  readonly sla_tracked: boolean;
}

const caseRow = async (tx: SqlQueryable, caseId: string): Promise<CaseRow | undefined> =>
  (
    await tx.query<CaseRow>('SELECT tenant, cycle, sla_tracked FROM analytics_cases WHERE case_id = $1 FOR UPDATE', [
      caseId,
    ])
  ).rows[0];

/**
 * Applies one (not yet seen) envelope. Incident events and other types change nothing, nor
 * does an envelope that names no case (an intake event, whose own topic this consumer does
 * not read, has `intakeId` and no `caseId`).
 */
export const applyToMetrics = async (tx: SqlQueryable, e: CaseEventEnvelope): Promise<void> => {
  if (typeof e.caseId !== 'string') return;
  const caseId = e.caseId;
  const tenant = e.tenant ?? '';
  const day = e.occurredAt.slice(0, 10);
  const d = e.data;
  switch (e.type) {
    case 'Opened':
      await tx.query(
        `INSERT INTO analytics_cases (case_id, tenant, cycle, sla_tracked) VALUES ($1, $2, 1, $3)
         ON CONFLICT (case_id) DO NOTHING`,
        [caseId, tenant, typeof d.sla === 'object' && d.sla !== null],
      );
      return bump(tx, day, tenant, { cases_opened: 1 });
    case 'Reopened':
      if (typeof d.cycle === 'number')
        await tx.query('UPDATE analytics_cases SET cycle = $2 WHERE case_id = $1', [caseId, d.cycle]);
      return;
    case 'AgentResponded':
    case 'InfoRequested':
      return d.firstResponse === true ? firstResponse(tx, e, tenant, day) : undefined;
    case 'SlaBreached':
      return breach(tx, e, day);
    case 'Resolved': {
      const outcome = typeof d.outcome === 'string' ? d.outcome : 'unknown';
      await tx.query(
        `INSERT INTO analytics_daily_resolutions (day, tenant, outcome, resolutions) VALUES ($1, $2, $3, 1)
         ON CONFLICT (day, tenant, outcome) DO UPDATE SET resolutions = analytics_daily_resolutions.resolutions + 1`,
        [day, tenant, outcome],
      );
      return bump(tx, day, tenant, { resolutions: 1 });
    }
    case 'SurveyAnswered': {
      if (typeof d.rating !== 'number') return;
      return bump(tx, day, tenant, {
        csat_responses: 1,
        csat_rating_sum: d.rating,
        csat_satisfied: d.rating >= 4 ? 1 : 0,
      });
    }
    default:
      return;
  }
};

const firstResponse = async (tx: SqlQueryable, e: CaseEventEnvelope, tenant: string, day: string) => {
  const known = await caseRow(tx, e.caseId!);
  const cycle = known?.cycle ?? 1;
  const tracked = known?.sla_tracked ?? false;
  const breached =
    (
      await tx.query(
        `SELECT 1 FROM analytics_sla_breaches WHERE case_id = $1 AND cycle = $2 AND clock = 'first-response'`,
        [e.caseId, cycle],
      )
    ).rows.length > 0;
  const within = tracked ? !breached : null;
  const { rows } = await tx.query(
    `INSERT INTO analytics_first_responses (case_id, cycle, tenant, day, responded_at, within_sla)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id, cycle) DO NOTHING RETURNING case_id`,
    [e.caseId, cycle, tenant, day, e.occurredAt, within],
  );
  if (rows.length === 0) return; // not the first of its cycle after all
  await bump(tx, day, tenant, {
    first_responses: 1,
    first_responses_with_sla: tracked ? 1 : 0,
    first_responses_within_sla: within ? 1 : 0,
  });
};

const breach = async (tx: SqlQueryable, e: CaseEventEnvelope, day: string) => {
  const { clock, cycle } = e.data;
  if (typeof clock !== 'string' || typeof cycle !== 'number') return;
  const { rows } = await tx.query(
    `INSERT INTO analytics_sla_breaches (case_id, cycle, clock, day) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING case_id`,
    [e.caseId, cycle, clock, day],
  );
  if (rows.length === 0 || clock !== 'first-response') return;
  // a response counted as within its SLA before the breach was recorded is not
  const { rows: revised } = await tx.query<{ day: string; tenant: string }>(
    `UPDATE analytics_first_responses SET within_sla = false
     WHERE case_id = $1 AND cycle = $2 AND within_sla
     RETURNING to_char(day, 'YYYY-MM-DD') AS day, tenant`,
    [e.caseId, cycle],
  );
  for (const r of revised) await bump(tx, r.day, r.tenant, { first_responses_within_sla: -1 });
};
