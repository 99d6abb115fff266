import { randomUUID } from 'node:crypto';
import {
  caseEvent,
  OUTCOMES,
  PRIORITIES,
  STAFF_OUTCOMES,
  toCaseStreamId,
  type CaseEvent,
  type CaseStatus,
  type Priority,
} from '@app/case-domain';
import type { EventStore } from '@app/event-store';
import { seededRandom } from '@app/case-domain/testing';

export const TENANTS = ['org-acme', 'org-globex', 'org-initech'];
export const LANGUAGES = ['en', 'fr', 'de', 'es'];

interface CaseInProgress {
  readonly caseId: string;
  readonly streamId: string;
  status: CaseStatus;
  priority: Priority;
  cycle: number;
  at: number;
  version: number;
  surveySent: boolean;
  /** R11: the wait in progress began then; whether its reminder was recorded */
  waitingSince?: string;
  reminded?: boolean;
}

export interface RandomHistoryOptions {
  /** events to append in all */
  readonly events: number;
  readonly seed: number;
  /** cases in progress at any time; a closed case is replaced by a new one */
  readonly concurrentCases?: number;
  /** most events per append */
  readonly maxPerAppend?: number;
  /** called after each append (for example to stop a runner part way) */
  readonly afterAppend?: (appended: number) => void | Promise<void>;
}

export interface RandomHistory {
  /** the cases that have events */
  readonly caseIds: string[];
  readonly events: number;
}

/**
 * Appends a random but plausible history of many cases, interleaved: each append picks a
 * case in progress and adds 1 to `maxPerAppend` events that its status allows. Opening
 * times collide now and then, so that pagination meets ties.
 */
export const appendRandomHistory = async (store: EventStore, options: RandomHistoryOptions): Promise<RandomHistory> => {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const base = Date.parse('2026-01-05T08:00:00Z');
  const caseIds: string[] = [];
  const open = (): CaseInProgress => {
    const caseId = randomUUID();
    // a coarse grid of opening times: ties happen
    const at = base + Math.floor(random() * 2_000) * 60_000;
    return {
      caseId,
      streamId: toCaseStreamId(caseId),
      status: 'open',
      priority: pick(PRIORITIES),
      cycle: 1,
      at,
      version: 0,
      surveySent: false,
    };
  };
  const pool = Array.from({ length: options.concurrentCases ?? 60 }, open);
  let appended = 0;
  while (appended < options.events) {
    const index = Math.floor(random() * pool.length);
    const c = pool[index];
    const batch: CaseEvent[] = [];
    const size = 1 + Math.floor(random() * (options.maxPerAppend ?? 3));
    while (batch.length < size && appended + batch.length < options.events && c.status !== 'closed')
      batch.push(nextEvent(c, random, pick));
    if (batch.length === 0) {
      pool[index] = open();
      continue;
    }
    await store.appendToStream(c.streamId, batch, c.version);
    if (c.version === 0) caseIds.push(c.caseId);
    c.version += batch.length;
    appended += batch.length;
    await options.afterAppend?.(appended);
    if (c.status === 'closed') pool[index] = open();
  }
  return { caseIds, events: appended };
};

const nextEvent = (c: CaseInProgress, random: () => number, pick: <T>(items: readonly T[]) => T): CaseEvent => {
  c.at += 1 + Math.floor(random() * 90) * 60_000;
  const base = { caseId: c.caseId, at: new Date(c.at).toISOString(), byId: pick(['agent-1', 'agent-2', 'agent-3']) };
  if (c.version === 0)
    return caseEvent('Opened', {
      ...base,
      tenant: pick(TENANTS),
      requester: { id: `admin-${Math.floor(random() * 20)}`, email: 'admin@example.com' },
      subject: `Subject ${Math.floor(random() * 1e6)}`,
      description: 'Something is wrong.',
      product: pick(['cloud-identity', 'mail-gateway', 'drive']),
      language: pick(LANGUAGES),
      channel: pick(['chat', 'email'] as const),
      impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
      workaround: 'none',
      priority: c.priority,
    });
  const roll = random();
  switch (c.status) {
    case 'open': {
      if (roll < 0.12) {
        const to = pick(PRIORITIES);
        const from = c.priority;
        c.priority = to;
        return caseEvent('PriorityChanged', { ...base, from, to, reason: 'impact changed' });
      }
      if (roll < 0.3)
        return caseEvent('AgentAssigned', { ...base, agentId: pick(['agent-1', 'agent-2', 'agent-3']), forced: false });
      if (roll < 0.42)
        return caseEvent('AgentResponded', { ...base, agentId: 'agent-1', message: 'Looking', firstResponse: false });
      if (roll < 0.55) {
        c.status = 'awaiting-customer';
        c.waitingSince = base.at;
        c.reminded = false;
        return caseEvent('InfoRequested', {
          ...base,
          agentId: 'agent-1',
          items: ['logs'],
          message: 'Logs?',
          firstResponse: false,
        });
      }
      if (roll < 0.65) return caseEvent('Escalated', { ...base, target: 'product-team', reason: 'bug' });
      if (roll < 0.7) return caseEvent('LinkedToIncident', { ...base, incidentId: `inc-${Math.floor(random() * 9)}` });
      if (roll < 0.72) return caseEvent('CustomerReplied', { ...base, message: 'Any news?', endsWait: false });
      // R11: a reply may carry files by reference; no read model counts them
      if (roll < 0.75) {
        const attachments = [{ name: 'sso.log', size: 12, contentType: 'text/plain', sha256: 'ab'.repeat(32) }];
        return caseEvent('CustomerReplied', { ...base, message: 'The log.', attachments, endsWait: false });
      }
      c.status = 'resolved';
      c.surveySent = false;
      return caseEvent('Resolved', { ...base, outcome: pick(STAFF_OUTCOMES), summary: 'Done', cycle: c.cycle });
    }
    case 'awaiting-customer':
      if (roll < 0.15) return caseEvent('Escalated', { ...base, target: 'supervisor', reason: 'slow' });
      if (roll < 0.22) return caseEvent('InternalNoteAdded', { ...base, byId: 'super-1', message: 'Chase them.' });
      if (roll < 0.25) return caseEvent('NotificationsChanged', { ...base, byId: 'admin-1', enabled: roll < 0.235 });
      // R11: the waiting timer reminds the customer once per wait, and resolves the case left unanswered
      if (roll < 0.31 && !c.reminded && c.waitingSince) {
        c.reminded = true;
        const { waitingSince, cycle } = c;
        return caseEvent('CustomerReminded', { ...base, byId: 'system:waiting-timer', cycle, waitingSince });
      }
      if (roll < 0.35) {
        c.status = 'resolved';
        c.surveySent = false;
        const summary = 'No answer to the information request.';
        return caseEvent('Resolved', {
          ...base,
          byId: 'system:waiting-timer',
          outcome: 'no-customer-answer',
          summary,
          cycle: c.cycle,
        });
      }
      c.status = 'open';
      return roll < 0.6
        ? caseEvent('InfoProvided', { ...base, message: 'Here', attachments: [], endsWait: true })
        : caseEvent('CustomerReplied', { ...base, message: 'Here', endsWait: true });
    default: {
      if (roll < 0.2 && !c.surveySent) {
        c.surveySent = true;
        return caseEvent('SurveySent', { ...base, surveyId: `${c.caseId}:survey:${c.cycle}`, cycle: c.cycle });
      }
      if (roll < 0.35 && c.surveySent)
        return caseEvent('SurveyAnswered', {
          ...base,
          surveyId: `${c.caseId}:survey:${c.cycle}`,
          rating: 1 + Math.floor(random() * 5),
          cycle: c.cycle,
        });
      if (roll < 0.45) return caseEvent('CreditIssued', { ...base, incidentId: 'inc-1', amount: 50, currency: 'EUR' });
      if (roll < 0.5) return caseEvent('CreditRequested', { ...base, incidentId: 'inc-1' });
      if (roll < 0.7) {
        c.status = 'open';
        c.cycle += 1;
        return caseEvent('Reopened', { ...base, reason: 'still broken', cycle: c.cycle });
      }
      c.status = 'closed';
      return caseEvent('Closed', { ...base, outcome: pick(OUTCOMES), cycle: c.cycle });
    }
  }
};
