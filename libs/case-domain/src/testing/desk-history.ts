import { createHash } from 'node:crypto';
import {
  caseEvent,
  PRIORITIES,
  STAFF_OUTCOMES,
  queueIdOf,
  toCaseStreamId,
  type CaseEvent,
  type CaseStatus,
  type Outcome,
  type Priority,
} from '..';
import { seededRandom } from './seeded-random';

/**
 * the outcomes staff choose, solved three times as often as any other (the order is part of what a
 * seed gives); no-customer-answer is the waiting timer's (below, while a case awaits the customer)
 */
const RESOLUTION_OUTCOMES: readonly Outcome[] = ['solved', 'solved', ...STAFF_OUTCOMES];
export const DESK_TENANTS = ['acme.example', 'globex.example', 'initech.example', 'umbrella.example'];
/** languages and the vendors speaking them (the example vendors' languages, plus a regional variant) */
const LANGUAGES: ReadonlyArray<readonly [language: string, vendors: readonly string[]]> = [
  ['en', ['north-desk', 'south-desk', 'east-desk', 'west-desk']],
  ['en', ['north-desk', 'south-desk', 'east-desk', 'west-desk']],
  ['fr', ['north-desk']],
  ['fr-ca', ['north-desk']],
  ['de', ['south-desk']],
  ['ja', ['east-desk']],
  ['es', ['west-desk']],
];
const CALENDARS = ['europe-paris', 'america-new-york', 'asia-tokyo', 'australia-sydney'];
const REGIONS = ['emea', 'amer', 'apac', 'anz'];
const AGENTS = ['eve', 'max', 'uwe', 'kim', 'ana', 'raj'];
const MINUTE = 60_000;

/**
 * a stable event id per (seed, case, version): an append retried after a crash writes nothing twice.
 * `derivedUuid(`${seed}:${caseId}:${version}`)` of @app/event-store, which this pure kit may not
 * import (desk-history.spec.ts checks they agree)
 */
const eventId = (seed: number, caseId: string, version: number): string => {
  const hex = createHash('sha256').update(`${seed}:${caseId}:${version}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 3) | 8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

interface LiveCase {
  readonly caseId: string;
  readonly language: string;
  readonly vendors: readonly string[];
  status: CaseStatus;
  priority: Priority;
  cycle: number;
  at: number;
  version: number;
  vendor: string | null;
  assignee: string | null;
  responded: boolean;
  breached: boolean;
  linked: string | null;
  creditRequested: boolean;
  credited: boolean;
  /** R14: the incident report: requested, then sent */
  report: 'none' | 'requested' | 'sent';
  surveyed: boolean;
  answered: boolean;
  /** R11: the wait in progress began then; whether its reminder was recorded */
  waitingSince?: string;
  reminded?: boolean;
}

export interface DeskHistoryOptions {
  /** events in all */
  readonly events: number;
  readonly seed: number;
  /** cases in progress at any time; a closed case is replaced by a new one; default 60 */
  readonly concurrentCases?: number;
  /** most events per append; default 3 */
  readonly maxPerAppend?: number;
  /** the first opening; default 2026-01-05T08:00:00Z */
  readonly start?: string;
  /** how far apart openings are spread, in minutes; default 30 days */
  readonly spreadMinutes?: number;
  /**
   * R14: customers of cases linked to an outage also ask for the incident report, which is
   * sent (IncidentReportRequested, IncidentReportSent). Off by default, so that the histories
   * of a seed stay what they were before it existed.
   */
  readonly incidentReports?: boolean;
  /** a case is reopened at most this many times minus one (closed instead); default unbounded */
  readonly maxCycles?: number;
}

/** One append of a history: events for one case at its expected version. */
export interface DeskAppend {
  readonly caseId: string;
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: (CaseEvent & { eventId: string })[];
}

/**
 * A random but plausible history of a support desk, as appends: cases open (with SLA terms)
 * and are routed at once; agents claim, answer, ask for information; customers answer;
 * cases escalate, breach their first-response target, get re-routed while unassigned,
 * link outages, resolve, get surveys (answered or not), credits, reopen and close. Cases
 * interleave (each append picks one of `concurrentCases` at random). Every event respects
 * the case's rules, so the read models see only histories the write side could produce.
 */
export function* deskHistory(options: DeskHistoryOptions): Generator<DeskAppend> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const start = Date.parse(options.start ?? '2026-01-05T08:00:00Z');
  const spread = options.spreadMinutes ?? 30 * 24 * 60;
  let serial = 0;
  const open = (): LiveCase => {
    serial += 1;
    const [language, vendors] = pick(LANGUAGES);
    const hex = createHash('sha256').update(`case:${options.seed}:${serial}`).digest('hex');
    return {
      caseId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
      language,
      vendors,
      status: 'open',
      priority: pick(PRIORITIES),
      cycle: 1,
      at: start + Math.floor(random() * spread) * MINUTE,
      version: 0,
      vendor: null,
      assignee: null,
      responded: false,
      breached: false,
      linked: null,
      creditRequested: false,
      credited: false,
      report: 'none',
      surveyed: false,
      answered: false,
    };
  };
  const pool = Array.from({ length: options.concurrentCases ?? 60 }, open);
  let produced = 0;
  while (produced < options.events) {
    const index = Math.floor(random() * pool.length);
    const c = pool[index];
    if (c.status === 'closed') {
      pool[index] = open();
      continue;
    }
    const size = Math.min(1 + Math.floor(random() * (options.maxPerAppend ?? 3)), options.events - produced);
    const events: (CaseEvent & { eventId: string })[] = [];
    const expectedVersion = c.version;
    while (events.length < size && (c.status as CaseStatus) !== 'closed') {
      const event =
        (options.incidentReports ? incidentReport(c, random) : undefined) ??
        next(c, random, pick, options.maxCycles ?? Infinity);
      c.version += 1;
      events.push({ ...event, eventId: eventId(options.seed, c.caseId, c.version) });
    }
    produced += events.length;
    yield { caseId: c.caseId, streamId: toCaseStreamId(c.caseId), expectedVersion, events };
  }
}

/** R14: a case linked to an outage, not closed, sometimes gets its incident report asked for, then sent */
function incidentReport(c: LiveCase, random: () => number): CaseEvent | undefined {
  if (c.version < 2 || !c.linked || c.report === 'sent' || c.status === 'closed') return undefined;
  if (random() >= 0.25) return undefined;
  c.at += (1 + Math.floor(random() * 120)) * MINUTE;
  const base = { caseId: c.caseId, at: new Date(c.at).toISOString(), incidentId: c.linked };
  if (c.report === 'none') {
    c.report = 'requested';
    return caseEvent('IncidentReportRequested', { ...base, byId: 'admin-1' });
  }
  c.report = 'sent';
  return caseEvent('IncidentReportSent', {
    ...base,
    byId: 'sam',
    reportUrl: `https://status.example/reports/${c.linked}`,
  });
}

function next(c: LiveCase, random: () => number, pick: <T>(items: readonly T[]) => T, maxCycles: number): CaseEvent {
  c.at += (1 + Math.floor(random() * 120)) * MINUTE;
  const byId = pick(AGENTS);
  const base = { caseId: c.caseId, at: new Date(c.at).toISOString(), byId };
  if (c.version === 0) {
    const calendarIndex = Math.floor(random() * CALENDARS.length);
    return caseEvent('Opened', {
      ...base,
      byId: 'admin-1',
      tenant: pick(DESK_TENANTS),
      requester: { id: `admin-${Math.floor(random() * 50)}`, email: 'admin@example.com' },
      subject: `Subject ${Math.floor(random() * 1e6)}`,
      description: 'Something is wrong.',
      product: pick(['cloud-identity', 'mail-gateway', 'drive']),
      language: c.language,
      channel: pick(['chat', 'email'] as const),
      impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
      workaround: 'none',
      priority: c.priority,
      sla: {
        calendarId: CALENDARS[calendarIndex],
        calendarVersion: 1,
        policyVersion: 1,
        region: REGIONS[calendarIndex],
        firstResponseTargetMs: 8 * 60 * MINUTE,
        firstResponseDueAt: new Date(c.at + (8 + Math.floor(random() * 40)) * 60 * MINUTE).toISOString(),
      },
    });
  }
  if (c.version === 1) return routed(c, base, 'opened', random, pick);
  const roll = random();
  switch (c.status) {
    case 'open':
      if (roll < 0.07 && !c.assignee && c.vendors.length > 1) return routed(c, base, 'shift-ended', random, pick);
      if (roll < 0.14) {
        const to = pick(PRIORITIES.filter((p) => p !== c.priority));
        const from = c.priority;
        c.priority = to;
        return caseEvent('PriorityChanged', { ...base, byId: 'sam', from, to, reason: 'impact changed' });
      }
      if (roll < 0.3) {
        const agentId = pick(AGENTS);
        const previous = c.assignee;
        c.assignee = agentId;
        return caseEvent('AgentAssigned', {
          ...base,
          byId: previous ? 'sam' : agentId,
          agentId,
          ...(previous ? { previousAgentId: previous } : {}),
          forced: previous !== null,
        });
      }
      if (roll < 0.42) return responded(c, base, 'AgentResponded');
      if (roll < 0.53) return responded(c, base, 'InfoRequested');
      if (roll < 0.6)
        return caseEvent('Escalated', {
          ...base,
          target: pick(['product-team', 'third-party', 'supervisor'] as const),
          reason: 'bug',
        });
      if (roll < 0.65 && !c.responded && !c.breached) {
        c.breached = true;
        return caseEvent('SlaBreached', {
          ...base,
          byId: 'system:sla-timer',
          clock: 'first-response',
          cycle: c.cycle,
          priority: c.priority,
          dueAt: new Date(c.at - MINUTE).toISOString(),
          targetMs: 8 * 60 * MINUTE,
          calendarId: 'europe-paris',
          calendarVersion: 1,
          policyVersion: 1,
        });
      }
      if (roll < 0.69 && !c.linked) {
        c.linked = `inc-${Math.floor(random() * 9)}`;
        return caseEvent('LinkedToIncident', { ...base, incidentId: c.linked });
      }
      if (roll < 0.69)
        return caseEvent('CustomerReplied', { ...base, byId: 'admin-1', message: 'Any news?', endsWait: false });
      // R11: a reply may carry files by reference; no read model counts them
      if (roll < 0.72) {
        const attachments = [{ name: 'sso.log', size: 12, contentType: 'text/plain', sha256: 'ab'.repeat(32) }];
        return caseEvent('CustomerReplied', {
          ...base,
          byId: 'admin-1',
          message: 'The log.',
          attachments,
          endsWait: false,
        });
      }
      if (roll < 0.85) return responded(c, base, 'AgentResponded');
      return resolved(c, base, pick);
    case 'awaiting-customer':
      if (roll < 0.12) return caseEvent('Escalated', { ...base, target: 'supervisor', reason: 'slow' });
      if (roll < 0.2) return resolved(c, base, pick);
      if (roll < 0.26) return caseEvent('InternalNoteAdded', { ...base, byId: 'sam', message: 'Chase them.' });
      if (roll < 0.29) return caseEvent('NotificationsChanged', { ...base, byId: 'admin-1', enabled: roll < 0.275 });
      // R11: the waiting timer reminds the customer once per wait, and resolves the case left unanswered
      if (roll < 0.32 && !c.reminded && c.waitingSince) {
        c.reminded = true;
        return caseEvent('CustomerReminded', {
          ...base,
          byId: 'system:waiting-timer',
          cycle: c.cycle,
          waitingSince: c.waitingSince,
        });
      }
      if (roll < 0.335) {
        c.status = 'resolved';
        return caseEvent('Resolved', {
          ...base,
          byId: 'system:waiting-timer',
          outcome: 'no-customer-answer',
          summary: 'No answer to the information request.',
          cycle: c.cycle,
        });
      }
      c.status = 'open';
      return roll < 0.6
        ? caseEvent('InfoProvided', { ...base, byId: 'admin-1', message: 'Here', attachments: [], endsWait: true })
        : caseEvent('CustomerReplied', { ...base, byId: 'admin-1', message: 'Here', endsWait: true });
    default: {
      // resolved
      if (roll < 0.25 && !c.surveyed) {
        c.surveyed = true;
        return caseEvent('SurveySent', {
          ...base,
          byId: 'system:survey-sender',
          surveyId: `${c.caseId}:survey:${c.cycle}`,
          cycle: c.cycle,
        });
      }
      if (roll < 0.45 && c.surveyed && !c.answered) {
        c.answered = true;
        return caseEvent('SurveyAnswered', {
          ...base,
          byId: 'admin-1',
          surveyId: `${c.caseId}:survey:${c.cycle}`,
          rating: 1 + Math.floor(random() * 5),
          cycle: c.cycle,
        });
      }
      if (roll < 0.52 && c.linked && !c.creditRequested && !c.credited) {
        c.creditRequested = true;
        return caseEvent('CreditRequested', { ...base, byId: 'admin-1', incidentId: c.linked });
      }
      if (roll < 0.6 && c.creditRequested && !c.credited) {
        c.credited = true;
        return caseEvent('CreditIssued', {
          ...base,
          byId: 'sam',
          incidentId: c.linked as string,
          amount: pick([50, 120, 250]),
          currency: pick(['EUR', 'USD']),
        });
      }
      if (roll < 0.72 && c.cycle < maxCycles) {
        c.status = 'open';
        c.cycle += 1;
        c.responded = false;
        c.breached = false;
        c.surveyed = false;
        c.answered = false;
        return caseEvent('Reopened', { ...base, byId: 'admin-1', reason: 'still broken', cycle: c.cycle });
      }
      c.status = 'closed';
      return caseEvent('Closed', { ...base, byId: 'system:auto-close', outcome: 'solved', cycle: c.cycle });
    }
  }
}

const routed = (
  c: LiveCase,
  base: { caseId: string; at: string; byId: string },
  trigger: 'opened' | 'shift-ended',
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
): CaseEvent => {
  const previous = c.vendor;
  const choices = trigger === 'opened' ? c.vendors : c.vendors.filter((v) => v !== previous);
  const vendorId = pick(choices);
  c.vendor = vendorId;
  const atWork = random() < 0.8;
  return caseEvent('Routed', {
    ...base,
    byId: 'system:router',
    vendorId,
    queueId: queueIdOf(c.language, c.priority),
    reason: atWork ? 'follow-the-sun' : 'next-shift',
    trigger,
    candidates: [vendorId, ...c.vendors.filter((v) => v !== vendorId)].map((v, i) => ({
      vendorId: v,
      atWork: atWork && i === 0,
    })),
    ...(trigger === 'opened' ? {} : { previousVendorId: previous }),
  });
};

const responded = (
  c: LiveCase,
  base: { caseId: string; at: string; byId: string },
  type: 'AgentResponded' | 'InfoRequested',
): CaseEvent => {
  const firstResponse = !c.responded;
  c.responded = true;
  const agentId = c.assignee ?? base.byId;
  if (type === 'AgentResponded')
    return caseEvent('AgentResponded', { ...base, agentId, message: 'Looking into it.', firstResponse });
  c.status = 'awaiting-customer';
  c.waitingSince = base.at;
  c.reminded = false;
  return caseEvent('InfoRequested', { ...base, agentId, items: ['logs'], message: 'Logs, please.', firstResponse });
};

const resolved = (
  c: LiveCase,
  base: { caseId: string; at: string; byId: string },
  pick: <T>(items: readonly T[]) => T,
): CaseEvent => {
  const outcome = c.linked ? 'outage' : pick(RESOLUTION_OUTCOMES.filter((o) => o !== 'outage'));
  c.status = 'resolved';
  return caseEvent('Resolved', {
    ...base,
    outcome,
    summary: 'Done.',
    ...(outcome === 'cannot-reproduce' ? { recommendations: 'Collect a HAR file.' } : {}),
    ...(c.linked ? { incidentId: c.linked } : {}),
    cycle: c.cycle,
  });
};
