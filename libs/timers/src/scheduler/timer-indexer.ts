import {
  caseDecider,
  caseIdFromStreamId,
  CONTACT_STREAM_CATEGORY,
  type CaseEvent,
  type CaseState,
  type ContactEvent,
} from '@app/case-domain';
import type { Clock } from '@app/clock';
import { setTimeout as delay } from 'node:timers/promises';
import { compareCheckpoints, LOG_START, type EventStore, type RecordedEvent, type SqlDatabase } from '@app/event-store';
import { NOTIFICATION_MAX_AGE_MS, plannedNotification, UNSTOPPABLE_EVENT_TYPES } from '../plan/notification-plan';
import type { PlannedTimer } from '../plan/timer-plan';
import { contactPreferencesOf, saveContactPreferences } from '../store/contact-preference-table';
import { enqueueNotifications, type NewNotificationRow } from '../store/notification-table';
import { enqueueSurveyMail } from '../store/survey-mail-table';
import { applyPlans, readCheckpoint, saveCheckpoint, type CasePlan } from '../store/timer-table';

/** The indexer's checkpoint (processor id, docs/conventions.md): bump the version to rebuild from the log. */
export const TIMER_INDEX_CHECKPOINT = 'timers:index:v1';

/** Case states the indexer keeps between batches (least recently used forgotten first). */
const KNOWN_CASES = 10_000;

/**
 * Derives the durable timers from the event log: a checkpointed follower. For every case
 * touched by a batch of the global log it plans the case's timers (a pure function of the
 * case) and writes them, the survey e-mails to send (one per SurveySent), the notification
 * e-mails (one per notified event, `plannedNotification` of the case right after it:
 * docs/notifications.md) and the checkpoint in one transaction of a few statements,
 * however many cases the batch touched. Both outboxes are keyed (survey id, event id), so a
 * batch read again (a failed transaction, a rebuilt index) queues nothing twice. Due times
 * therefore live in the database, never only in memory: a restarted scheduler finds them,
 * and a lost `timers` table is rebuilt by replaying the log from the start.
 *
 * The states of recent cases are kept here and moved on with the batch's events (the log
 * gives a case's events in order); a case not known, or known at another version than the
 * one its first event in the batch follows, is read from its stream.
 */
export class TimerIndexer {
  private readonly known = new Map<string, { state: CaseState; version: number }>();

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly plan: (state: CaseState) => PlannedTimer[],
    private readonly clock: Clock,
    private readonly batchSize = 500,
    /** how long one catch-up waits for older transactions in flight (see catchUp) */
    private readonly maxWaitMs = 10_000,
  ) {}

  /**
   * Indexes every event committed before the call; resolves to the number of events read.
   * The log holds an event back while an older transaction that may still write is in
   * flight (on PostgreSQL, one of any database of the server), so an empty read before the
   * log's head means "not yet", not "done": it reads again shortly, until the checkpoint
   * reaches the head taken at the start. Such transactions last milliseconds; if one lasts
   * longer than `maxWaitMs`, the call returns what it indexed and the next tick goes on.
   */
  async catchUp(): Promise<number> {
    const head = await this.store.head();
    const giveUpAt = performance.now() + this.maxWaitMs;
    let total = 0;
    for (let idleMs = 1; ;) {
      const after = (await readCheckpoint(this.db, TIMER_INDEX_CHECKPOINT)) ?? LOG_START;
      const { events, checkpoint } = await this.store.readAll({ after, limit: this.batchSize });
      if (events.length === 0) {
        if (!head || compareCheckpoints(after, head) >= 0 || performance.now() > giveUpAt) return total;
        await delay(idleMs);
        idleMs = Math.min(idleMs * 2, 50);
        continue;
      }
      await this.apply(events, checkpoint);
      total += events.length;
    }
  }

  private async apply(events: readonly RecordedEvent[], checkpoint: Parameters<typeof saveCheckpoint>[2]) {
    const byCase = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      if (caseIdFromStreamId(e.streamId) === null) continue;
      const ofCase = byCase.get(e.streamId);
      if (ofCase) ofCase.push(e);
      else byCase.set(e.streamId, [e]);
    }
    // sorted: two indexers then lock the cases' rows in the same order, so they never deadlock
    const plans: CasePlan[] = [];
    /** each planned e-mail, with its recipient and its event's place in the batch (log order) */
    const planned: { row: NewNotificationRow; recipient: string; at: number }[] = [];
    const place = new Map(events.map((e, i) => [e.eventId, i]));
    const now = this.clock.now();
    const staleBefore = now.getTime() - NOTIFICATION_MAX_AGE_MS;
    for (const streamId of [...byCase.keys()].sort()) {
      const { state, version } = await this.caseAfter(streamId, byCase.get(streamId) as RecordedEvent[], (after, e) => {
        const notification = plannedNotification(after, e);
        if (!notification || after.status === 'not-opened') return;
        const at = Date.parse((e.data as { at?: string }).at ?? '') || e.recordedAt.getTime();
        const stale = at < staleBefore;
        planned.push({
          recipient: (after.requester.email ?? '').toLowerCase(),
          at: place.get(e.eventId) as number,
          row: {
            ...notification,
            streamId,
            streamVersion: e.streamVersion,
            state: stale ? 'skipped' : 'pending',
            ...(stale
              ? { note: `not sent: the event (${new Date(at).toISOString()}) was more than 7 days old when indexed` }
              : {}),
          },
        });
      });
      plans.push({ streamId, version, timers: this.plan(state) });
    }
    const { notifications, preferences } = await this.withContactPreferences(events, planned);
    const surveys = events.filter((e) => e.type === 'SurveySent' && caseIdFromStreamId(e.streamId) !== null);
    try {
      await this.db.transaction(async (tx) => {
        await applyPlans(tx, plans, now);
        await enqueueNotifications(tx, notifications, now);
        await saveContactPreferences(tx, preferences, now);
        for (const e of surveys) {
          const { surveyId, cycle } = (e as unknown as CaseEvent & { type: 'SurveySent' }).data;
          await enqueueSurveyMail(tx, surveyId, e.streamId, cycle, now);
        }
        await saveCheckpoint(tx, TIMER_INDEX_CHECKPOINT, checkpoint, now);
      });
    } catch (error) {
      this.known.clear(); // the batch will be read again: its cases too
      throw error;
    }
  }

  /**
   * The planned e-mails a person's own setting lets through (docs/notifications.md): turned
   * off (`ContactNotificationsChanged`, stream `contact-<address>`), only the information
   * requests and their reminders go out. Each e-mail is judged by the setting as it stood at
   * its event, in log order: the batch's own changes before it, else the table
   * (`contact_preferences`, as the indexer last read the log), else on. Also gives each
   * person's setting after the batch, written with the checkpoint.
   */
  private async withContactPreferences(
    events: readonly RecordedEvent[],
    planned: readonly { row: NewNotificationRow; recipient: string; at: number }[],
  ): Promise<{ notifications: NewNotificationRow[]; preferences: Map<string, boolean> }> {
    const changes = events.flatMap((e, place) => {
      if (e.type !== 'ContactNotificationsChanged' || !e.streamId.startsWith(`${CONTACT_STREAM_CATEGORY}-`)) return [];
      const { email, enabled } = (e as unknown as ContactEvent).data;
      return [{ place, email, enabled }];
    });
    const stoppable = planned.filter((p) => !UNSTOPPABLE_EVENT_TYPES.includes(p.row.eventType));
    const known = await contactPreferencesOf(this.db, [...new Set(stoppable.map((p) => p.recipient))]);
    const enabledAt = (email: string, at: number): boolean => {
      let enabled = known.get(email) ?? true;
      for (const c of changes) if (c.email === email && c.place < at) enabled = c.enabled;
      return enabled;
    };
    const preferences = new Map(changes.map((c) => [c.email, c.enabled]));
    const notifications = planned
      .filter((p) => UNSTOPPABLE_EVENT_TYPES.includes(p.row.eventType) || enabledAt(p.recipient, p.at))
      .map((p) => p.row);
    return { notifications, preferences };
  }

  /**
   * The case after the batch's events: the known state moved on, or the stream read (outside
   * any transaction: PGlite has one connection). `visit` sees each event of the batch with
   * the case as it stood right after it.
   */
  private async caseAfter(
    streamId: string,
    batch: readonly RecordedEvent[],
    visit: (after: CaseState, event: RecordedEvent) => void,
  ): Promise<{ state: CaseState; version: number }> {
    // a case whose first event is in the batch needs no read either
    const known =
      this.known.get(streamId) ??
      (batch[0].streamVersion === 1 ? { state: caseDecider.initialState, version: 0 } : undefined);
    this.known.delete(streamId);
    let case_: { state: CaseState; version: number };
    const inBatch = new Set(batch.map((e) => e.eventId));
    /** folds one event at a time, showing each of the batch's to `visit` */
    const foldVisiting = (from: CaseState, events: readonly RecordedEvent[]) =>
      events.reduce((state, e) => {
        const after = caseDecider.evolve(state, e as unknown as CaseEvent);
        if (inBatch.has(e.eventId)) visit(after, e);
        return after;
      }, from);
    // the case as of the batch's last event (a case's events are consecutive in the log), so
    // each event of the batch is folded, and shown to `visit`, exactly once
    const last = batch[batch.length - 1].streamVersion;
    if (known && known.version === batch[0].streamVersion - 1) {
      case_ = { state: foldVisiting(known.state, batch), version: last };
    } else {
      const { events: history } = await this.store.readStream(streamId);
      case_ = {
        state: foldVisiting(
          caseDecider.initialState,
          history.filter((e) => e.streamVersion <= last),
        ),
        version: last,
      };
    }
    this.known.set(streamId, case_);
    if (this.known.size > KNOWN_CASES) this.known.delete(this.known.keys().next().value as string);
    return case_;
  }
}
