import { caseDecider, caseIdFromStreamId, foldEvents, type CaseEvent, type CaseState } from '@app/case-domain';
import type { Clock } from '@app/clock';
import { LOG_START, type EventStore, type RecordedEvent, type SqlDatabase } from '@app/event-store';
import type { PlannedTimer } from '../plan/timer-plan';
import { enqueueSurveyMail } from '../store/survey-mail-table';
import { applyPlan, readCheckpoint, saveCheckpoint } from '../store/timer-table';

/** The indexer's checkpoint (processor id, style.md): bump the version to rebuild from the log. */
export const TIMER_INDEX_CHECKPOINT = 'timers:index:v1';

/**
 * Derives the durable timers from the event log: a checkpointed follower. For every case
 * touched by a batch of the global log it reads the case, plans its timers (a pure
 * function of the case) and writes them, the survey e-mails to send (one per SurveySent)
 * and the checkpoint in one transaction. Due times therefore live in the database, never
 * only in memory: a restarted scheduler finds them, and a lost `timers` table is rebuilt
 * by replaying the log from the start.
 */
export class TimerIndexer {
  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly plan: (state: CaseState) => PlannedTimer[],
    private readonly clock: Clock,
    private readonly batchSize = 500,
  ) {}

  /** Reads the log from the checkpoint to its end; resolves to the number of events read. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const after = (await readCheckpoint(this.db, TIMER_INDEX_CHECKPOINT)) ?? LOG_START;
      const { events, checkpoint } = await this.store.readAll({ after, limit: this.batchSize });
      if (events.length === 0) return total;
      await this.apply(events, checkpoint);
      total += events.length;
    }
  }

  private async apply(events: readonly RecordedEvent[], checkpoint: Parameters<typeof saveCheckpoint>[2]) {
    // sorted: two indexers then lock the cases' rows in the same order, so they never deadlock
    const streams = [...new Set(events.map((e) => e.streamId).filter((s) => caseIdFromStreamId(s) !== null))].sort();
    // read outside the transaction: on PGlite (one connection) the store cannot read inside it
    const plans: { streamId: string; version: number; timers: PlannedTimer[] }[] = [];
    for (const streamId of streams) {
      const { events: history, currentVersion } = await this.store.readStream(streamId);
      const state = foldEvents(caseDecider, history as unknown as CaseEvent[]);
      plans.push({ streamId, version: currentVersion, timers: this.plan(state) });
    }
    const surveys = events.filter((e) => e.type === 'SurveySent' && caseIdFromStreamId(e.streamId) !== null);
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      for (const p of plans) await applyPlan(tx, p.streamId, p.version, p.timers, now);
      for (const e of surveys) {
        const { surveyId, cycle } = (e as unknown as CaseEvent & { type: 'SurveySent' }).data;
        await enqueueSurveyMail(tx, surveyId, e.streamId, cycle, now);
      }
      await saveCheckpoint(tx, TIMER_INDEX_CHECKPOINT, checkpoint, now);
    });
  }
}
