import type { CaseEvent, CaseEventDataMap } from '../case.events';
import type { CaseStatus, Instant, Priority, SlaClock, SlaTerms } from '../case.types';

/**
 * R10/R11/R15: the facts the SLA figures are computed from, folded from the case's events
 * alongside the rest of the state (`OpenedCase.sla`). Instants only: no calendar here, so
 * the fold stays cheap and pure; `slaReport` turns the facts into business time.
 */
export interface SlaFacts {
  readonly terms?: SlaTerms;
  /** the priority from opening on, then each change (R9), in order */
  readonly priorities: readonly { readonly from: Instant; readonly priority: Priority }[];
  /** one per resolution cycle, in order: cycles[n - 1] is cycle n */
  readonly cycles: readonly SlaCycleFacts[];
  /** every wait on the customer (R11), in order; at most the last is still open */
  readonly waits: readonly CustomerWait[];
}

export interface SlaCycleFacts {
  readonly cycle: number;
  readonly startedAt: Instant;
  /** the first agent response or information request of the cycle: the first-response clock stops */
  readonly firstResponseAt?: Instant;
  readonly resolvedAt?: Instant;
  /** the SlaBreached events recorded for this cycle, at most one per clock */
  readonly breaches: readonly RecordedBreach[];
}

/** Only an InfoRequested starts a wait; the customer's answer (or the resolution) ends it. */
export interface CustomerWait {
  readonly cycle: number;
  readonly since: Instant;
  readonly until?: Instant;
}

export interface RecordedBreach {
  readonly clock: SlaClock;
  readonly dueAt: Instant;
  readonly at: Instant;
}

export const initialSlaFacts = (opened: CaseEventDataMap['Opened']): SlaFacts => ({
  ...(opened.sla === undefined ? {} : { terms: opened.sla }),
  priorities: [{ from: opened.at, priority: opened.priority }],
  cycles: [{ cycle: 1, startedAt: opened.at, breaches: [] }],
  waits: [],
});

/**
 * Folds one event (other than `Opened`) into the facts; `status` and `cycle` are the case's
 * before the event. Total and pure like `evolve`: an event it cannot place leaves the facts
 * as they are (the same object, so that `evolve` can tell nothing changed).
 */
export const evolveSlaFacts = (facts: SlaFacts, status: CaseStatus, cycle: number, event: CaseEvent): SlaFacts => {
  const waiting = status === 'awaiting-customer';
  const at = (): Instant => event.data.at;
  switch (event.type) {
    case 'PriorityChanged':
      return { ...facts, priorities: [...facts.priorities, { from: at(), priority: event.data.to }] };
    case 'AgentResponded':
      return firstResponse(facts, cycle, at());
    case 'InfoRequested': {
      const responded = firstResponse(facts, cycle, at());
      return waiting ? responded : { ...responded, waits: [...responded.waits, { cycle, since: at() }] };
    }
    case 'InfoProvided':
    case 'CustomerReplied':
      return waiting ? endWait(facts, at()) : facts;
    case 'Resolved': {
      const ended = waiting ? endWait(facts, at()) : facts;
      return updateCycle(ended, cycle, (c) => (c.resolvedAt === undefined ? { ...c, resolvedAt: at() } : c));
    }
    case 'Reopened':
      if (facts.cycles.some((c) => c.cycle === event.data.cycle)) return facts;
      return { ...facts, cycles: [...facts.cycles, { cycle: event.data.cycle, startedAt: at(), breaches: [] }] };
    case 'SlaBreached': {
      const { clock, dueAt } = event.data;
      return updateCycle(facts, event.data.cycle, (c) =>
        c.breaches.some((b) => b.clock === clock) ? c : { ...c, breaches: [...c.breaches, { clock, dueAt, at: at() }] },
      );
    }
    default:
      return facts;
  }
};

const updateCycle = (facts: SlaFacts, cycle: number, update: (c: SlaCycleFacts) => SlaCycleFacts): SlaFacts => {
  const index = facts.cycles.findIndex((c) => c.cycle === cycle);
  if (index < 0) return facts;
  const updated = update(facts.cycles[index]);
  if (updated === facts.cycles[index]) return facts;
  return { ...facts, cycles: facts.cycles.map((c, i) => (i === index ? updated : c)) };
};

/** R10: an answer or an information request both stop the cycle's first-response clock. */
const firstResponse = (facts: SlaFacts, cycle: number, at: Instant): SlaFacts =>
  updateCycle(facts, cycle, (c) => (c.firstResponseAt === undefined ? { ...c, firstResponseAt: at } : c));

const endWait = (facts: SlaFacts, at: Instant): SlaFacts => {
  const last = facts.waits.at(-1);
  if (!last || last.until !== undefined) return facts;
  return { ...facts, waits: [...facts.waits.slice(0, -1), { ...last, until: at }] };
};

/** The cycle's facts, or undefined for a cycle the case never had. */
export const cycleFacts = (facts: SlaFacts, cycle: number): SlaCycleFacts | undefined =>
  facts.cycles.find((c) => c.cycle === cycle);

/** The wait on the customer still open, if any. */
export const openWait = (facts: SlaFacts): CustomerWait | undefined => {
  const last = facts.waits.at(-1);
  return last && last.until === undefined ? last : undefined;
};
