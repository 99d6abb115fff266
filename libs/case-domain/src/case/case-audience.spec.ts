import { foldEvents } from '../shared/decider';
import {
  audienceOfRole,
  caseCastOf,
  caseEventFor,
  caseListItemFor,
  caseViewFor,
  CUSTOMER_EVENT_RULES,
  EMPTY_CAST,
  STAFF_LABEL,
  staffNameFor,
  SYSTEM_LABEL,
  type AudienceEvent,
} from './case-audience';
import { caseDecider } from './case.decide';
import { CASE_EVENT_TYPES, type CaseEvent } from './case.events';
import { toCaseView, type CaseView } from './case.view';
import { agent, assigned, customer, EARLIER, ev, noted, opened, routed, system } from '../testing';

/** metadata as the API records it */
type MetadataActor = { readonly id: string; readonly role: string; readonly vendor?: string; readonly name?: string };
const by = (actor: MetadataActor, extra: Record<string, unknown> = {}) => ({
  actor,
  tenant: 'org-acme',
  correlationId: 'corr-1',
  idempotencyKey: 'key-1',
  ...extra,
});
const eve = { id: 'eve@north.example', role: 'agent', vendor: 'north-desk' };
const eveNamed = { ...eve, name: 'Eve Martin' };
const sam = { id: 'sam@desk.example', role: 'supervisor' };

const recorded = (event: CaseEvent, actor: MetadataActor): AudienceEvent => ({
  ...event,
  metadata: by(actor),
});

const escalated = ev('Escalated', { target: 'product-team', reason: 'The customer misconfigured SAML' }, eve.id);
const view = (events: CaseEvent[]): CaseView => toCaseView(foldEvents(caseDecider, events))!;
const full = view([opened(), routed(), assigned(eve.id), escalated, noted('Customer is difficult', sam.id)]);
const cast = caseCastOf([
  recorded(opened(), customer),
  recorded(assigned(eve.id), eveNamed),
  recorded(escalated, eveNamed),
  recorded(noted('x', sam.id), sam),
]);

describe('audiences', () => {
  it('customers are the support and customer admins; every other role is staff', () => {
    expect(audienceOfRole('support-admin')).toBe('customer');
    expect(audienceOfRole('customer-admin')).toBe('customer');
    for (const role of ['agent', 'supervisor', 'auditor', 'system']) expect(audienceOfRole(role)).toBe('staff');
  });

  it('the cast: the requester and customer actors are customers; staff have the latest name their tokens carried', () => {
    const renamed = caseCastOf([
      recorded(opened(), customer),
      { ...recorded(assigned(eve.id), eve), metadata: by({ ...eve, name: 'Eve' }) },
      { ...recorded(assigned(eve.id), eve), metadata: by({ ...eve, name: 'Eve Martin' }) },
      recorded(assigned(sam.id), sam),
    ]);
    expect([...renamed.customerIds]).toEqual([customer.id]);
    expect(renamed.names).toEqual(new Map([[eve.id, 'Eve Martin']]));
    expect(renamed.roles).toEqual(
      new Map([
        [eve.id, 'agent'],
        [sam.id, 'supervisor'],
      ]),
    );
  });

  it('a staff name: the name claim, else "Support team" for the system, "Support agent" for anyone else', () => {
    expect(staffNameFor(eve.id, cast)).toBe('Eve Martin');
    expect(staffNameFor(sam.id, cast)).toBe(STAFF_LABEL);
    expect(staffNameFor('someone-unknown')).toBe(STAFF_LABEL);
    expect(staffNameFor(system.id)).toBe(SYSTEM_LABEL);
    expect(staffNameFor('timer-7', EMPTY_CAST, 'system')).toBe(SYSTEM_LABEL);
  });
});

describe('caseViewFor: the case view by audience', () => {
  const customerView = caseViewFor(full, 'customer', cast);

  it('staff (agents, supervisors, auditors) see the view unchanged, notes included', () => {
    expect(caseViewFor(full, 'staff', cast)).toBe(full);
    expect(full.notes).toHaveLength(1);
  });

  it('notes: never in the customer view', () => {
    expect(customerView).not.toHaveProperty('notes');
    expect(JSON.stringify(customerView)).not.toContain('Customer is difficult');
  });

  it('assigneeId: shown to customers as assigneeName (the display name), never the id', () => {
    expect(customerView).not.toHaveProperty('assigneeId');
    expect(customerView.assigneeName).toBe('Eve Martin');
    expect(caseViewFor(full, 'customer').assigneeName).toBe(STAFF_LABEL);
    expect(caseViewFor(view([opened()]), 'customer')).not.toHaveProperty('assigneeName');
  });

  it('escalations: that it happened, where to, when and by whom (a name), never the reason', () => {
    expect(customerView.escalations).toEqual([{ target: 'product-team', at: EARLIER, byName: 'Eve Martin' }]);
    expect(JSON.stringify(customerView)).not.toContain('misconfigured');
  });

  it('routing: never in the customer view (vendor, queue decision)', () => {
    expect(full.routing).toBeDefined();
    expect(customerView).not.toHaveProperty('routing');
    expect(JSON.stringify(customerView)).not.toContain('north-desk');
  });

  it("no staff id or e-mail anywhere in the customer's view; every other field as the staff see it", () => {
    expect(JSON.stringify(customerView)).not.toMatch(/eve@|sam@/);
    const { assigneeId: _a, escalations: _e, notes: _n, routing: _r, ...rest } = full;
    expect(customerView).toMatchObject(rest);
  });
});

describe('caseListItemFor: an item of the case list by audience', () => {
  const item = { id: 'c-1', status: 'open', assigneeId: eve.id, requesterId: customer.id };

  it('staff: unchanged', () => expect(caseListItemFor(item, 'staff')).toBe(item));

  it('assigneeId: customers get assigneeName, the neutral label (the list keeps no names)', () => {
    expect(caseListItemFor(item, 'customer')).toEqual({
      id: 'c-1',
      status: 'open',
      requesterId: customer.id,
      assigneeName: STAFF_LABEL,
    });
    const unassigned: { id: string; assigneeId?: string } = { id: 'c-2' };
    expect(caseListItemFor(unassigned, 'customer')).toEqual({ id: 'c-2' });
  });
});

describe('caseEventFor: the events by audience', () => {
  const forCustomer = (event: AudienceEvent) => caseEventFor(event, 'customer', cast);

  it('has a rule for every case event type (a type without one is never shown to customers)', () => {
    expect(Object.keys(CUSTOMER_EVENT_RULES).sort()).toEqual([...CASE_EVENT_TYPES].sort());
    expect(caseEventFor({ type: 'SomethingNew', data: { message: 'x' } }, 'customer')).toBeNull();
    expect(caseEventFor({ type: 'toString', data: {} }, 'customer')).toBeNull();
  });

  it('staff see every event unchanged, an internal note included', () => {
    const note = recorded(noted('Customer is difficult', sam.id), sam);
    expect(caseEventFor(note, 'staff')).toBe(note);
  });

  it('InternalNoteAdded: never shown to customers', () =>
    expect(forCustomer(recorded(noted('x', sam.id), sam))).toBeNull());

  it("byId of staff: the display name (byName), or the label when the token had no name; a customer's own byId stays", () => {
    expect(forCustomer(recorded(escalated, eveNamed))?.data).toMatchObject({ byName: 'Eve Martin' });
    const bySam = forCustomer(
      recorded(ev('AgentResponded', { agentId: sam.id, message: 'Hi', firstResponse: true }, sam.id), sam),
    );
    expect(bySam?.data).toEqual({
      caseId: opened().data.caseId,
      at: EARLIER,
      byName: STAFF_LABEL,
      agentName: STAFF_LABEL,
      message: 'Hi',
      firstResponse: true,
    });
    const reply = recorded(ev('CustomerReplied', { message: 'Any news?', endsWait: false }, customer.id), customer);
    expect(forCustomer(reply)?.data).toMatchObject({ byId: customer.id });
    expect(caseEventFor(reply, 'customer')?.data).toMatchObject({ byId: customer.id }); // known by its metadata alone
    expect(forCustomer(recorded(ev('Closed', { outcome: 'solved', cycle: 1 }, system.id), system))?.data).toMatchObject(
      {
        byName: SYSTEM_LABEL,
      },
    );
  });

  it('agentId and previousAgentId: display names (agentName, previousAgentName)', () => {
    const reassigned = ev('AgentAssigned', { agentId: sam.id, previousAgentId: eve.id, forced: true }, sam.id);
    const shown = forCustomer(recorded(reassigned, sam))?.data;
    expect(shown).toEqual({
      caseId: opened().data.caseId,
      at: EARLIER,
      byName: STAFF_LABEL,
      agentName: STAFF_LABEL,
      previousAgentName: 'Eve Martin',
      forced: true,
    });
  });

  it('Escalated: the reason is left out', () => {
    const shown = forCustomer(recorded(escalated, eveNamed))?.data;
    expect(shown).toEqual({ caseId: opened().data.caseId, at: EARLIER, byName: 'Eve Martin', target: 'product-team' });
  });

  it('Routed: no vendor, candidates, previous vendor, reason or trigger; the queue and when', () => {
    const route = { ...routed(), data: { ...routed().data, previousVendorId: 'south-desk' } };
    const shown = forCustomer(recorded(route, { id: 'system:router', role: 'system' }))?.data;
    expect(shown).toEqual({
      caseId: opened().data.caseId,
      at: EARLIER,
      byName: SYSTEM_LABEL,
      queueId: route.data.queueId,
    });
  });

  it('metadata of a staff event: the actor as {role, name} and the tenant; no id, vendor, correlation or key', () => {
    expect(forCustomer(recorded(escalated, eveNamed))?.metadata).toEqual({
      actor: { role: 'agent', name: 'Eve Martin' },
      tenant: 'org-acme',
    });
    expect(caseEventFor({ ...escalated, metadata: {} }, 'customer')?.metadata).toEqual({});
  });

  it("metadata of a customer's own event: as recorded", () => {
    const reply = recorded(ev('CustomerReplied', { message: 'Any news?', endsWait: false }, customer.id), customer);
    expect(forCustomer(reply)?.metadata).toEqual(reply.metadata);
  });

  it('keeps what else an event carries (version, recordedAt) as it is', () => {
    const withPlace = { ...recorded(escalated, eveNamed), version: 4, recordedAt: '2026-03-02T08:00:00.000Z' };
    expect(forCustomer(withPlace)).toMatchObject({ type: 'Escalated', version: 4, recordedAt: withPlace.recordedAt });
  });

  it('a whole history: no internal note, no staff id or e-mail, no vendor, no escalation reason', () => {
    const history = [
      recorded(opened(), customer),
      recorded(routed(), { id: 'system:router', role: 'system' }),
      recorded(assigned(eve.id), eve),
      recorded(escalated, eve),
      recorded(noted('Customer is difficult', sam.id), sam),
      recorded(ev('AgentResponded', { agentId: eve.id, message: 'Fixed?', firstResponse: true }, eve.id), eve),
    ];
    const historyCast = caseCastOf(history);
    const shown = history.map((e) => caseEventFor(e, 'customer', historyCast)).filter((e) => e !== null);
    expect(shown.map((e) => e.type)).toEqual(['Opened', 'Routed', 'AgentAssigned', 'Escalated', 'AgentResponded']);
    const text = JSON.stringify(shown);
    for (const secret of ['eve@', 'sam@', 'north-desk', 'misconfigured', 'Customer is difficult', agent.id])
      expect(text).not.toContain(secret);
  });
});
