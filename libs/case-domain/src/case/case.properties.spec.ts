import fc from 'fast-check';
import { createCalendar, parseSlaPolicy } from '@app/business-time';
import { foldEvents } from '../shared/decider';
import { DomainRuleViolation, InvalidCommand } from '../shared/domain-rule-violation';
import type { Assignee, CaseCommand, RequestInfo } from './case.commands';
import { caseDecider, decide } from './case.decide';
import { CaseAlreadyClosed } from './case.errors';
import { CASE_EVENT_SCHEMA_VERSIONS, CASE_EVENT_TYPES, type CaseEvent } from './case.events';
import { evolve } from './case.evolve';
import { initialCaseState, type CaseState } from './case.state';
import {
  CASE_STATUSES,
  type EscalationTarget,
  type Outcome,
  type Priority,
  type SlaClock,
  type SlaTerms,
  type Workaround,
} from './case.types';
import { cycleFacts } from './sla/sla.facts';
import { slaOf, slaReport } from './sla/sla.report';
import { agent, CASE_ID, cmd, customer, northDeskAgent, otherAgent, supervisor, system } from '../testing';

/**
 * Properties over arbitrary command sequences, valid and invalid mixed, run against one
 * case. Values come from small pools so that sequences reach deep states (closed, credited,
 * surveyed, reopened) often, and the invalid values (rating 9, amount -5, empty text,
 * unknown enums, another case's id) keep turning up among them.
 */
/** Mostly valid values, sometimes an invalid one. */
const mostly = <T>(valid: readonly T[], invalid: readonly T[]): fc.Arbitrary<T> =>
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });

const text = mostly(['Please check.', 'Logs attached.'], ['', ' ']);
const actor = fc.constantFrom(customer, agent, otherAgent, supervisor, system);
const agentId = mostly([agent.id, otherAgent.id], ['']);
const incidentId = mostly(['inc-1', 'inc-2'], ['']);
const caseId = mostly([CASE_ID], ['case-other']);
const often = <T>(arbitrary: fc.Arbitrary<T>) => ({ weight: 3, arbitrary });
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => ({ weight: 1, arbitrary });

/** R10: the terms the shell computes at opening, sometimes left out (a case opened before SLAs) */
const terms: SlaTerms = {
  calendarId: 'europe-paris',
  calendarVersion: 1,
  policyVersion: 1,
  firstResponseTargetMs: 28_800_000,
  firstResponseDueAt: '2026-03-03T09:00:00.000Z',
};
const slaTerms = fc.option(mostly<SlaTerms>([terms], [{ ...terms, firstResponseDueAt: '2026-03-01T09:00:00.000Z' }]), {
  nil: undefined,
});

const commandArb: fc.Arbitrary<CaseCommand> = fc.oneof(
  sometimes(
    fc
      .record({
        workaround: mostly<Workaround>(['none', 'available'], ['bogus' as never]),
        subject: text,
        sla: slaTerms,
      })
      .map((o) => cmd.open(o)),
  ),
  often(
    fc
      .record({
        agentId,
        force: fc.boolean(),
        actor,
        // R4: no case here is routed, so only supervisors are eligible; the others are refused
        assignee: mostly<Assignee | null>([{ kind: 'supervisor' }], [null, northDeskAgent]),
      })
      .map((o) => cmd.assign(o.agentId, { ...o, byId: o.actor.id })),
  ),
  often(fc.record({ agentId, message: text, caseId }).map((o) => cmd.respond(o))),
  often(
    fc
      .record({
        items: mostly<RequestInfo['items']>([['logs'], ['troubleshooting', 'logs']], [[], ['screenshots' as never]]),
        message: text,
      })
      .map((o) => cmd.requestInfo(o)),
  ),
  sometimes(fc.record({ message: text }).map((o) => cmd.provideInfo(o))),
  sometimes(
    fc
      .record({
        message: text,
        // R11: a reply may carry files by reference (a bad checksum is refused)
        attachments: mostly(
          [[], [{ name: 'sso.log', size: 12, contentType: 'text/plain', sha256: 'ab'.repeat(32) }]],
          [[{ name: 'sso.log', size: 12, contentType: 'text/plain', sha256: 'abc' }]],
        ),
      })
      .map((o) => cmd.reply(o)),
  ),
  sometimes(
    fc
      .record({ target: mostly<EscalationTarget>(['product-team', 'supervisor'], ['legal' as never]), reason: text })
      .map((o) => cmd.escalate(o)),
  ),
  // staff's internal notes: refused only on a closed case (and for an empty message)
  sometimes(fc.record({ message: text, actor: fc.constantFrom(agent, supervisor) }).map((o) => cmd.note(o))),
  sometimes(
    fc
      .record({ priority: mostly<Priority>(['P1', 'P2', 'P3', 'P4'], ['P0' as never]), reason: text })
      .map((o) => cmd.changePriority(o)),
  ),
  often(
    fc
      .record({
        outcome: mostly<Outcome>(['solved', 'outage', 'cannot-reproduce', 'feature-request'], ['won-t-fix' as never]),
        summary: text,
        recommendations: fc.option(text, { nil: undefined }),
      })
      .map((o) => cmd.resolve(o)),
  ),
  often(fc.record({ reason: text }).map((o) => cmd.reopen(o))),
  often(incidentId.map((id) => cmd.link(id))),
  often(fc.record({ reason: fc.option(text, { nil: undefined }) }).map((o) => cmd.requestCredit(o))),
  often(
    fc
      .record({ amount: mostly([120, 0.5], [0, -5, Number.NaN]), currency: mostly(['EUR', 'USD'], ['eur', 'EURO']) })
      .map((o) => cmd.issueCredit(o)),
  ),
  sometimes(fc.constant(cmd.requestReport())),
  sometimes(
    mostly(['https://status.example/r/1', 'https://status.example/r/2'], ['nope']).map((url) => cmd.sendReport(url)),
  ),
  often(mostly(['survey-1', 'survey-2'], ['']).map((id) => cmd.sendSurvey(id))),
  often(
    fc
      .record({ rating: fc.integer({ min: -1, max: 7 }), comment: fc.option(text, { nil: undefined }) })
      .map((o) => cmd.answerSurvey(o)),
  ),
  sometimes(fc.constant(cmd.close())),
  // the customer's notification e-mails: a no-op when unchanged, refused on a closed case
  sometimes(mostly([false, true], ['off' as never]).map((enabled) => cmd.setNotifications(enabled))),
  // R11: the waiting timer's reminder and auto-close (the latter refused from anyone but the system)
  often(mostly([1, 2, 3], [0]).map((cycle) => cmd.remind({ cycle }))),
  sometimes(
    fc
      .record({ actor: fc.oneof({ weight: 4, arbitrary: fc.constant(system) }, { weight: 1, arbitrary: actor }) })
      .map((o) => cmd.resolveUnanswered(o)),
  ),
  // R10: the scheduler's breaches, due before or after the moment they are decided (09:00 + i min)
  often(
    fc
      .record({
        clock: mostly<SlaClock>(['first-response', 'resolution'], ['lunch' as never]),
        cycle: mostly([1, 2, 3], [0]),
        dueAt: mostly(['2026-03-02T08:59:00.000Z', '2026-03-02T09:07:00.000Z', '2026-03-02T09:20:00.000Z'], ['nope']),
        escalate: fc.boolean(),
      })
      .map((o) => cmd.recordBreach(o)),
  ),
);

/** A 24 h calendar: business time is real time, so every sequence's figures are non-trivial. */
const calendar = createCalendar({
  id: 'always',
  version: 1,
  timeZone: 'UTC',
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']])) as never,
  holidays: [],
});
const policy = parseSlaPolicy(
  {
    version: 1,
    firstResponseBusinessDays: { P1: 0.01, P2: 0.01, P3: 0.02, P4: 0.02 },
    resolutionBusinessDays: { P1: 0.02, P2: 0.03 },
    calendarByRegion: {},
    defaultCalendar: 'always',
  },
  'properties',
);

/** Most sequences start by opening the case, so that the rest has a case to act on. */
const sequenceArb = fc
  .tuple(fc.nat(9), fc.array(commandArb, { maxLength: 60, size: 'max' }))
  .map(([dice, commands]) => (dice === 0 ? commands : [cmd.open(), ...commands]));

interface Step {
  readonly command: CaseCommand;
  readonly seen: CaseState;
  readonly historyLength: number;
  readonly events: CaseEvent[] | null;
  readonly error?: unknown;
  readonly now: Date;
}

/** What the API does for each command: fold, decide, append; a refusal appends nothing. */
const run = (commands: readonly CaseCommand[]) => {
  const history: CaseEvent[] = [];
  const steps: Step[] = [];
  let state = initialCaseState;
  commands.forEach((command, i) => {
    const now = new Date(Date.UTC(2026, 2, 2, 9, i));
    try {
      const events = decide(state, command, now);
      steps.push({ command, seen: state, historyLength: history.length, events, now });
      history.push(...events);
      state = events.reduce(evolve, state);
    } catch (error) {
      steps.push({ command, seen: state, historyLength: history.length, events: null, error, now });
    }
  });
  return { history, steps, state };
};

/** What the store gives back: JSON through a jsonb column. */
const stored = (events: CaseEvent[]): CaseEvent[] => JSON.parse(JSON.stringify(events));

const property = (check: (result: ReturnType<typeof run>) => void) =>
  fc.assert(
    fc.property(sequenceArb, (commands) => check(run(commands))),
    { numRuns: 400 },
  );

describe('case properties (any command sequence)', () => {
  it('the sequences reach every event type, so the properties below are not vacuous', () => {
    const seen = new Map<string, number>();
    for (const commands of fc.sample(sequenceArb, { numRuns: 400, seed: 42 })) {
      for (const event of run(commands).history) seen.set(event.type, (seen.get(event.type) ?? 0) + 1);
    }
    // Routed is decided by RouteCase (routing/route-case.decide.ts), which has its own properties
    expect(CASE_EVENT_TYPES.filter((type) => type !== 'Routed' && !seen.has(type))).toEqual([]);
    expect(seen.get('CreditIssued')).toBeGreaterThan(3);
  });

  it('decide refuses only with a DomainRuleViolation, never with a crash', () =>
    property(({ steps }) =>
      steps.forEach((s) => s.error !== undefined && expect(s.error).toBeInstanceOf(DomainRuleViolation)),
    ));

  it('folding the stored events of the accepted commands reproduces every state decide saw', () =>
    property(({ history, steps, state }) => {
      for (const step of steps)
        expect(foldEvents(caseDecider, stored(history.slice(0, step.historyLength)))).toEqual(step.seen);
      expect(foldEvents(caseDecider, stored(history))).toEqual(state);
      expect(state.version).toBe(history.length);
    }));

  it('decide is deterministic and leaves the state it saw untouched', () =>
    property(({ steps }) => {
      for (const step of steps.filter((s) => s.events !== null)) {
        const copy = structuredClone(step.seen);
        expect(decide(step.seen, step.command, step.now)).toEqual(step.events);
        expect(step.seen).toEqual(copy);
      }
    }));

  it('no sequence makes a closed case accept a response, reopen or leave closed', () =>
    property(({ steps }) => {
      for (const step of steps.filter((s) => s.seen.status === 'closed')) {
        if (step.command.type === 'RespondToCase') {
          expect(step.events).toBeNull();
          if (!(step.error instanceof InvalidCommand)) expect(step.error).toBeInstanceOf(CaseAlreadyClosed);
        }
        for (const event of step.events ?? []) {
          expect(['CreditIssued', 'IncidentReportSent', 'SurveyAnswered']).toContain(event.type);
        }
      }
    }));

  it('no sequence gives a case two CreditIssued events, nor a credit without an incident and a request (R14)', () =>
    property(({ history }) => {
      const types = history.map((e) => e.type);
      expect(types.filter((t) => t === 'CreditIssued').length).toBeLessThanOrEqual(1);
      const issued = types.indexOf('CreditIssued');
      if (issued >= 0) {
        expect(types.slice(0, issued)).toEqual(expect.arrayContaining(['LinkedToIncident', 'CreditRequested']));
      }
    }));

  it('status is always one of the four once opened; surveys are answered at most once each (R15)', () =>
    property(({ steps, state, history }) => {
      for (const s of [...steps.map((step) => step.seen), state]) {
        if (s.status !== 'not-opened') expect(CASE_STATUSES).toContain(s.status);
      }
      const answered = history.flatMap((e) => (e.type === 'SurveyAnswered' ? [e.data.surveyId] : []));
      expect(new Set(answered).size).toBe(answered.length);
    }));

  it('R10: a breach is recorded at most once per clock and cycle, only after its due time, never after the clock stopped', () =>
    property(({ history }) => {
      const seen = new Set<string>();
      history.forEach((event, i) => {
        if (event.type !== 'SlaBreached') return;
        const key = `${event.data.clock}:${event.data.cycle}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        expect(Date.parse(event.data.at)).toBeGreaterThan(Date.parse(event.data.dueAt));
        const before = foldEvents(caseDecider, history.slice(0, i));
        if (before.status === 'not-opened') throw new Error('a breach before the opening');
        expect(before.status).not.toBe('closed');
        expect(event.data.cycle).toBe(before.cycle);
        const facts = cycleFacts(before.sla, event.data.cycle)!;
        const stop =
          event.data.clock === 'first-response' ? (facts.firstResponseAt ?? facts.resolvedAt) : facts.resolvedAt;
        if (stop !== undefined) expect(Date.parse(stop)).toBeGreaterThan(Date.parse(event.data.dueAt));
      });
    }));

  it('R11: a reminder once per wait, while the case awaits the customer; no-customer-answer only by the system, ending a wait', () =>
    property(({ history }) => {
      const remindedWaits = new Set<string>();
      let before = initialCaseState;
      history.forEach((event) => {
        const seen = before;
        before = evolve(before, event);
        if (event.type === 'CustomerReminded') {
          if (seen.status === 'not-opened') throw new Error('a reminder before the opening');
          expect(seen.status).toBe('awaiting-customer');
          expect(event.data.waitingSince).toBe(seen.pendingInfoRequest?.since);
          expect(event.data.cycle).toBe(seen.cycle);
          expect(remindedWaits.has(event.data.waitingSince)).toBe(false);
          remindedWaits.add(event.data.waitingSince);
        }
        if (
          event.type === 'Resolved' &&
          (event.data.outcome === 'no-customer-answer' || event.data.byId === system.id)
        ) {
          expect([event.data.outcome, event.data.byId]).toEqual(['no-customer-answer', system.id]);
          expect(seen.status).toBe('awaiting-customer');
        }
      });
    }));

  it('R10: the SLA figures are a function of the events: the stored history gives the same figures, whatever the order of computation', () =>
    property(({ history, state }) => {
      const now = new Date(Date.UTC(2026, 2, 2, 12));
      const report = slaReport(state, calendar, policy, now);
      expect(slaOf(stored(history), calendar, policy, now)).toEqual(report);
      if (!report) return;
      for (const c of report.cycles) {
        for (const clock of [c.firstResponse, c.resolution]) {
          expect(clock.usedMs).toBeGreaterThanOrEqual(0);
          if (clock.targetMs !== undefined && clock.state !== 'breached')
            expect(clock.usedMs).toBeLessThanOrEqual(clock.targetMs);
        }
      }
      const breaches = history.filter((e) => e.type === 'SlaBreached');
      for (const b of breaches) {
        const c = report.cycles.find((x) => x.cycle === b.data.cycle)!;
        expect(b.data.clock === 'first-response' ? c.firstResponse : c.resolution).toMatchObject({
          state: 'breached',
          breachRecorded: true,
          dueAt: b.data.dueAt,
        });
      }
    }));

  it('every event names the case, the moment it was decided and its schema version', () =>
    property(({ steps }) => {
      for (const step of steps) {
        for (const event of step.events ?? []) {
          expect(event.schemaVersion).toBe(CASE_EVENT_SCHEMA_VERSIONS[event.type]);
          expect(event.data).toMatchObject({ caseId: CASE_ID, at: step.now.toISOString() });
        }
      }
    }));
});
