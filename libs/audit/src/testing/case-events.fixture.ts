/**
 * Case events for the audit specs, shaped as @app/case-domain writes them (`caseEvent`),
 * with the metadata the API adds. Test support only.
 */
import { caseEvent, type CaseEventDataMap, type Priority } from '@app/case-domain';
import type { NewEvent } from '@app/event-store';

type Extra<T extends keyof CaseEventDataMap> = Omit<CaseEventDataMap[T], 'caseId' | 'at' | 'byId'>;

export const AGENT = { id: 'eve', role: 'agent' } as const;
export const ADMIN = { id: 'ana', role: 'support-admin', org: 'acme.example' } as const;

/** A case event of `caseId` at `at`, by `actor`, as a NewEvent with the API's metadata. */
export const caseEventOf = <T extends keyof CaseEventDataMap>(
  type: T,
  caseId: string,
  at: string,
  data: Extra<T>,
  actor: { readonly id: string; readonly role: string } = AGENT,
): NewEvent => ({
  ...caseEvent(type, { caseId, at, byId: actor.id, ...data } as CaseEventDataMap[T]),
  metadata: { actor, tenant: 'acme.example', correlationId: `corr-${caseId}-${type}` },
});

export const opened = (caseId: string, at: string, language = 'fr', priority: Priority = 'P2'): NewEvent =>
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

export const assigned = (caseId: string, at: string, agentId = AGENT.id): NewEvent =>
  caseEventOf('AgentAssigned', caseId, at, { agentId, forced: false });
export const infoRequested = (caseId: string, at: string): NewEvent =>
  caseEventOf('InfoRequested', caseId, at, {
    agentId: AGENT.id,
    items: ['logs'],
    message: 'Logs please.',
    firstResponse: true,
  });
export const infoProvided = (caseId: string, at: string): NewEvent =>
  caseEventOf('InfoProvided', caseId, at, { message: 'Attached.', attachments: [], endsWait: true }, ADMIN);
export const priorityChanged = (caseId: string, at: string, from: Priority, to: Priority): NewEvent =>
  caseEventOf(
    'PriorityChanged',
    caseId,
    at,
    { from, to, reason: 'Only one user is affected.' },
    { id: 'sam', role: 'supervisor' },
  );
export const resolved = (caseId: string, at: string): NewEvent =>
  caseEventOf('Resolved', caseId, at, { outcome: 'solved', summary: 'Certificate renewed.', cycle: 1 });
export const reopened = (caseId: string, at: string): NewEvent =>
  caseEventOf('Reopened', caseId, at, { reason: 'It fails again.', cycle: 2 }, ADMIN);
export const closed = (caseId: string, at: string): NewEvent =>
  caseEventOf('Closed', caseId, at, { outcome: 'solved', cycle: 1 }, { id: 'system:timer', role: 'system' });
export const routed = (
  caseId: string,
  at: string,
  vendorId: string | null,
  previousVendorId?: string | null,
): NewEvent =>
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
export const slaBreached = (caseId: string, at: string, cycle = 1): NewEvent =>
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
