import {
  afterCaseEvent,
  caseDecider,
  CaseRuleViolation,
  DomainRuleViolation,
  foldEvents,
  incidentDecider,
  toCaseStreamId,
  toCaseView,
  type CaseCommand,
  type CaseEvent,
} from '@app/case-domain';
import { SPEC_NOW } from '@app/testing';
import type { NewEvent } from '../../event-store/src/event-store.port';
import { AT } from './testing';

/** The public API as the HTTP layer will use it: fold, decide, append, run the process manager, show. */
describe('@app/case-domain public API', () => {
  const caseId = '0b7e6f7e-1c1a-4d55-9a56-3d7c1e0c2f10';
  const customer = { id: 'admin-1', role: 'support-admin' };
  const agent = { id: 'agent-1', role: 'agent' };
  const system = { id: 'system:auto-close', role: 'system' };
  const stream: CaseEvent[] = [];
  let clock = Date.UTC(2026, 2, 2, 9);

  const handle = (command: CaseCommand) => {
    const state = foldEvents(caseDecider, stream);
    const events = caseDecider.decide(state, command, new Date((clock += 60_000)));
    stream.push(...events); // the API appends with expected version = state.version
    for (const event of events) {
      const next = afterCaseEvent(event);
      if (next) handle(next);
    }
    return events;
  };

  it('takes a case from opening to closing', () => {
    handle({
      type: 'OpenCase',
      caseId,
      actor: customer,
      tenant: 'org-acme',
      requester: { id: customer.id, email: 'admin@acme.example' },
      subject: 'Users cannot sign in',
      description: 'SSO returns an error for one user.',
      product: 'cloud-identity-premium',
      language: 'de',
      channel: 'chat',
      impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
      workaround: 'none',
    });
    // R4, R16: the router gives it to a vendor; an agent of that vendor speaking German claims it
    handle({
      type: 'RouteCase',
      caseId,
      actor: { id: 'system:router', role: 'system' },
      trigger: 'opened',
      decision: {
        queueId: 'de-P2',
        vendorId: 'south-desk',
        reason: 'follow-the-sun',
        candidates: [{ vendorId: 'south-desk', atWork: true }],
      },
    });
    handle({
      type: 'AssignCase',
      caseId,
      actor: agent,
      agentId: agent.id,
      byId: agent.id,
      assignee: { kind: 'agent', vendorId: 'south-desk', languages: ['de', 'en'] },
    });
    handle({ type: 'RespondToCase', caseId, actor: agent, agentId: agent.id, message: 'Hallo!' });
    handle({ type: 'ResolveCase', caseId, actor: agent, outcome: 'solved', summary: 'Account unlocked.' });
    handle({ type: 'AnswerSurvey', caseId, actor: customer, rating: 5, comment: 'Schnell.' });
    handle({ type: 'CloseCase', caseId, actor: system });

    expect(toCaseStreamId(caseId)).toBe(`case-${caseId}`);
    expect(stream.map((e) => e.type)).toEqual([
      'Opened',
      'Routed',
      'AgentAssigned',
      'AgentResponded',
      'Resolved',
      'SurveySent',
      'SurveyAnswered',
      'Closed',
    ]);
    expect(toCaseView(foldEvents(caseDecider, stream))).toMatchObject({
      id: caseId,
      status: 'closed',
      priority: 'P2',
      assigneeId: agent.id,
      outcome: 'solved',
      survey: { sent: true, answered: true, rating: 5 },
      version: 8,
    });
  });

  it('refuses with coded errors the API maps by kind', () => {
    let caught: unknown;
    try {
      handle({ type: 'RespondToCase', caseId, actor: agent, agentId: agent.id, message: 'Still there?' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CaseRuleViolation);
    expect(caught).toMatchObject({ code: 'CASE.ALREADY_CLOSED', kind: 'conflict' });
    expect(caught).toBeInstanceOf(DomainRuleViolation);
    expect(incidentDecider.initialState).toEqual({ status: 'not-declared', version: 0 });
  });

  it('emits events the event store appends as they are (NewEvent), and fixtures share the spec clock', () => {
    const appendable: readonly NewEvent[] = stream; // compile-time check
    expect(appendable.every((e) => e.schemaVersion === 1)).toBe(true);
    expect(AT).toBe(SPEC_NOW.toISOString());
  });
});
