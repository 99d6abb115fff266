/**
 * Case events as the API records them, with its metadata (the actor, the tenant, a correlation
 * id), for suites that append to a store and read the log back (the audit's replays, casectl's
 * audit): `import { recorded as ev } from '@app/case-domain/testing'`, then
 * `ev.opened('a', at('09:00'), 'de', 'P1')`, `ev.assigned('a', at('09:10'))`. Each builder
 * takes the case and the time; the case is acme.example's, French and P2 unless said.
 * The events are the builders' of case-builders.ts (`ev`), with the metadata added.
 */
import type { CaseEventDataMap, CaseEventOf } from '../case/case.events';
import type { Priority } from '../case/case.types';
import { ev } from './case-builders';

type Extra<T extends keyof CaseEventDataMap> = Omit<CaseEventDataMap[T], 'caseId' | 'at' | 'byId'>;

interface RecordingActor {
  readonly id: string;
  readonly role: string;
  readonly org?: string;
}

/** a case event with the metadata the API records (an event store's `NewEvent`) */
export type RecordedCaseEvent<T extends keyof CaseEventDataMap = keyof CaseEventDataMap> = CaseEventOf<T> & {
  readonly metadata: { readonly actor: RecordingActor; readonly tenant: string; readonly correlationId: string };
};

const AGENT = { id: 'eve', role: 'agent' } as const;
const ADMIN = { id: 'ana', role: 'support-admin', org: 'acme.example' } as const;

/** A case event of `caseId` at `at`, by `actor`, with the API's metadata. */
const caseEventOf = <T extends keyof CaseEventDataMap>(
  type: T,
  caseId: string,
  at: string,
  data: Extra<T>,
  actor: RecordingActor = AGENT,
): RecordedCaseEvent<T> => ({
  ...ev(type, { caseId, at, ...data } as Extra<T> & { caseId: string; at: string }, actor.id),
  metadata: { actor, tenant: 'acme.example', correlationId: `corr-${caseId}-${type}` },
});

const opened = (caseId: string, at: string, language = 'fr', priority: Priority = 'P2') =>
  caseEventOf(
    'Opened',
    caseId,
    at,
    {
      tenant: 'acme.example',
      requester: { id: ADMIN.id, email: 'ana@acme.example' },
      subject: `Case ${caseId}`,
      description: 'SSO fails for the sales team.',
      product: 'cloud-identity',
      language,
      channel: 'email',
      impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
      workaround: 'none',
      priority,
    },
    ADMIN,
  );

const assigned = (caseId: string, at: string, agentId = AGENT.id) =>
  caseEventOf('AgentAssigned', caseId, at, { agentId, forced: false });
const infoRequested = (caseId: string, at: string) =>
  caseEventOf('InfoRequested', caseId, at, {
    agentId: AGENT.id,
    items: ['logs'],
    message: 'Logs please.',
    firstResponse: true,
  });
const infoProvided = (caseId: string, at: string) =>
  caseEventOf('InfoProvided', caseId, at, { message: 'Attached.', attachments: [], endsWait: true }, ADMIN);
const priorityChanged = (caseId: string, at: string, from: Priority, to: Priority) =>
  caseEventOf(
    'PriorityChanged',
    caseId,
    at,
    { from, to, reason: 'Only one user is affected.' },
    { id: 'sam', role: 'supervisor' },
  );
const resolved = (caseId: string, at: string) =>
  caseEventOf('Resolved', caseId, at, { outcome: 'solved', summary: 'Certificate renewed.', cycle: 1 });
const reopened = (caseId: string, at: string) =>
  caseEventOf('Reopened', caseId, at, { reason: 'It fails again.', cycle: 2 }, ADMIN);
const closed = (caseId: string, at: string) =>
  caseEventOf('Closed', caseId, at, { outcome: 'solved', cycle: 1 }, { id: 'system:timer', role: 'system' });
const routed = (caseId: string, at: string, vendorId: string | null, previousVendorId?: string | null) =>
  caseEventOf(
    'Routed',
    caseId,
    at,
    {
      vendorId,
      queueId: 'fr-P2',
      reason: vendorId ? 'follow-the-sun' : 'no-eligible-vendor',
      trigger: previousVendorId === undefined ? 'opened' : 'shift-ended',
      candidates: vendorId ? [{ vendorId, atWork: true }] : [],
      ...(previousVendorId === undefined ? {} : { previousVendorId }),
    },
    { id: 'system:router', role: 'system' },
  );
const slaBreached = (caseId: string, at: string, cycle = 1) =>
  caseEventOf(
    'SlaBreached',
    caseId,
    at,
    {
      clock: 'first-response',
      cycle,
      priority: 'P2',
      dueAt: at,
      targetMs: 1,
      calendarId: 'europe-paris',
      calendarVersion: 1,
      policyVersion: 1,
    },
    { id: 'system:sla-timer', role: 'system' },
  );

export const recorded = {
  AGENT,
  ADMIN,
  caseEventOf,
  opened,
  assigned,
  infoRequested,
  infoProvided,
  priorityChanged,
  resolved,
  reopened,
  closed,
  routed,
  slaBreached,
};
