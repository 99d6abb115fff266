import { canSeeCase, type Principal } from '@app/auth';
import {
  audienceOfRole,
  caseCastOf,
  caseDecider,
  caseEventFor,
  caseIdFromStreamId,
  foldEvents,
  initialCaseState,
  isOpenedCase,
  type CaseCast,
  type CaseEvent,
  type CaseState,
} from '@app/case-domain';
import type { RecordedEvent } from '@app/event-store';

/** One case event as the live stream sends it (the `data` of an SSE `event: case-event`). */
export interface LiveCaseEvent {
  /** the event's global position: the SSE `id`, what a client resumes after */
  readonly position: number;
  readonly caseId: string;
  readonly type: string;
  /** the case's version after the event */
  readonly version: number;
  readonly occurredAt: string;
  /** the event's data as the caller's audience sees it (case-audience.ts) */
  readonly data: unknown;
}

/**
 * The events one transaction appended to one case (an open and its routing, a resolution and
 * its survey), with the case just before and just after them. The unit of visibility: who may
 * see the case before or after them sees them all.
 */
export interface CaseMoment {
  readonly caseId: string;
  readonly events: readonly RecordedEvent[];
  readonly before: CaseState;
  readonly after: CaseState;
  /** the case's people as the stream knows them after these events (display names for customers) */
  readonly cast: CaseCast;
}

const visibleTo = (principal: Principal, state: CaseState): boolean =>
  isOpenedCase(state) && canSeeCase(principal, state.tenant, state.language, state.routing?.vendorId ?? null);

/**
 * R3, R4: whether `principal` is sent a moment's events. A case they may see before or after
 * the events: a support admin their organisation's cases, an agent those routed to their
 * vendor (and in their languages; the open with its routing, and the routing that takes a
 * case away from them), supervisors, auditors and the system every case.
 */
export const mayFollow = (principal: Principal, moment: CaseMoment): boolean =>
  visibleTo(principal, moment.after) || visibleTo(principal, moment.before);

/**
 * A moment's events as `principal` is shown them: none when they may not follow the case;
 * else each through `caseEventFor` for their audience (customers never see an internal note,
 * the routing, an escalation's reason, nor staff's ids).
 */
export const liveEventsFor = (principal: Principal, moment: CaseMoment): LiveCaseEvent[] => {
  if (!mayFollow(principal, moment)) return [];
  const audience = audienceOfRole(principal.role);
  return moment.events.flatMap((event) => {
    const shown = caseEventFor({ type: event.type, data: event.data, metadata: event.metadata }, audience, moment.cast);
    return shown
      ? [
          {
            position: event.globalPosition,
            caseId: moment.caseId,
            type: event.type,
            version: event.streamVersion,
            occurredAt: event.recordedAt.toISOString(),
            data: shown.data,
          },
        ]
      : [];
  });
};

const mergeCast = (cast: CaseCast, more: CaseCast): CaseCast => ({
  customerIds: new Set([...cast.customerIds, ...more.customerIds]),
  names: new Map([...cast.names, ...more.names]),
  roles: new Map([...cast.roles, ...more.roles]),
});

interface TrackedCase {
  readonly state: CaseState;
  readonly cast: CaseCast;
  readonly version: number;
}

/** Reads the events of a case stream up to a version (inclusive): what a tracker lacks. */
export type CaseHistoryReader = (streamId: string, toVersion: number) => Promise<readonly RecordedEvent[]>;

/**
 * Follows cases through the log in order: for each batch, the {@link CaseMoment}s of its case
 * events. It keeps the latest state of the cases it saw (at most `capacity`, the least
 * recently seen dropped first), and reads a case's history once when it meets a case it does
 * not know at that version (one opened before it started, or dropped).
 */
export class CaseTracker {
  private readonly cases = new Map<string, TrackedCase>();

  constructor(
    private readonly readHistory: CaseHistoryReader,
    private readonly capacity = 10_000,
  ) {}

  get size(): number {
    return this.cases.size;
  }

  /** the moments of a batch of the log (read in log order), in that order; other streams left out */
  async moments(events: readonly RecordedEvent[]): Promise<CaseMoment[]> {
    const moments: CaseMoment[] = [];
    for (let i = 0; i < events.length;) {
      const first = events[i];
      let end = i + 1;
      while (
        end < events.length &&
        events[end].streamId === first.streamId &&
        events[end].transactionId === first.transactionId
      )
        end += 1;
      const caseId = caseIdFromStreamId(first.streamId);
      if (caseId !== null) moments.push(await this.advance(caseId, events.slice(i, end)));
      i = end;
    }
    return moments;
  }

  private async advance(caseId: string, events: readonly RecordedEvent[]): Promise<CaseMoment> {
    const streamId = first(events).streamId;
    const since = first(events).streamVersion - 1;
    let known = this.cases.get(streamId);
    if (!known || known.version !== since) {
      const history = since > 0 ? await this.readHistory(streamId, since) : [];
      known = {
        state: foldEvents(caseDecider, history as unknown as CaseEvent[], initialCaseState),
        cast: caseCastOf(history),
        version: since,
      };
    }
    const after = foldEvents(caseDecider, events as unknown as CaseEvent[], known.state);
    const cast = mergeCast(known.cast, caseCastOf(events));
    this.cases.delete(streamId);
    this.cases.set(streamId, { state: after, cast, version: events[events.length - 1].streamVersion });
    if (this.cases.size > this.capacity) this.cases.delete(this.cases.keys().next().value as string);
    return { caseId, events, before: known.state, after, cast };
  }
}

const first = (events: readonly RecordedEvent[]): RecordedEvent => {
  if (events.length === 0) throw new TypeError('a moment has at least one event');
  return events[0];
};
