import request from 'supertest';
import { issueLocalToken } from '@app/auth';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });

interface ShownEvent {
  type: string;
  version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const NOTE = 'Old connector on their side; Ana is not technical, talk to their IT';
const SUPERVISOR_NOTE = 'Watch this one: they threatened to leave';
const REASON = 'Their SAML metadata is wrong, but the product should say so';

/**
 * Internal notes (AddInternalNote, case.add-note) and what each audience sees: staff (the
 * agents of the case's vendor, supervisors, auditors) see notes and everything else;
 * customers never see a note, nor a member of staff's id, e-mail address or vendor, nor the
 * routing, nor an escalation's reason (case-audience.ts). One app.
 */
describe('internal notes, and what customers may see of a case', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  /** Eve of north-desk, whose token carries a display name */
  let eve: string;
  /** an agent of south-desk who speaks French: the case is routed to north-desk (R4) */
  let otherVendor: string;
  let caseId: string;
  const http = () => request(t.app.getHttpServer());
  const post = (path: string, token: string, body: object = {}) =>
    http().post(`/v1/cases/${caseId}/${path}`).set(as(token)).send(body);
  const view = (token: string) => http().get(`/v1/cases/${caseId}`).set(as(token)).expect(200);
  const events = async (token: string): Promise<ShownEvent[]> =>
    (await http().get(`/v1/cases/${caseId}/events`).set(as(token)).expect(200)).body.events;

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    eve = await issueLocalToken(
      TEST_AUTH_SECRET,
      {
        role: 'agent',
        sub: 'eve',
        email: 'eve@north.example',
        name: 'Eve Martin',
        vendor: 'north-desk',
        languages: ['fr', 'en'],
        regions: ['emea'],
      },
      { expiresIn: '1h' },
    );
    otherVendor = await issueLocalToken(
      TEST_AUTH_SECRET,
      {
        role: 'agent',
        sub: 'zoe',
        email: 'zoe@south.example',
        vendor: 'south-desk',
        languages: ['fr'],
        regions: ['emea'],
      },
      { expiresIn: '1h' },
    );
    caseId = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    await post('assignment', eve).expect(200);
    const noted = await post('notes', eve, { message: NOTE }).expect(200);
    // the answer is the staff's view: the note is in it
    expect(noted.body.notes).toEqual([{ message: NOTE, at: expect.any(String), byId: 'eve' }]);
    await post('notes', tok.supervisor, { message: SUPERVISOR_NOTE }).expect(200);
    await post('escalations', eve, { target: 'product-team', reason: REASON }).expect(200);
  });
  afterAll(() => t.close());

  it('agents of the vendor, supervisors and auditors see the notes, oldest first, in the view and the events', async () => {
    for (const token of [eve, tok.otherAgent, tok.supervisor, tok.auditor]) {
      const v = (await view(token)).body;
      expect(v.notes).toEqual([
        { message: NOTE, at: expect.any(String), byId: 'eve' },
        { message: SUPERVISOR_NOTE, at: expect.any(String), byId: 'sam' },
      ]);
      expect(v).toMatchObject({ assigneeId: 'eve', routing: { vendorId: 'north-desk' } });
      expect(v.escalations).toEqual([{ target: 'product-team', reason: REASON, at: expect.any(String), byId: 'eve' }]);
      const history = await events(token);
      expect(history.filter((e) => e.type === 'InternalNoteAdded').map((e) => e.data.message)).toEqual([
        NOTE,
        SUPERVISOR_NOTE,
      ]);
      // the note's author as recorded: id, vendor and the token's display name
      expect(history.find((e) => e.type === 'InternalNoteAdded')?.metadata.actor).toEqual({
        id: 'eve',
        role: 'agent',
        vendor: 'north-desk',
        name: 'Eve Martin',
      });
    }
  });

  it("the customer's view: no note, staff by display name, no routing, the escalation without its reason", async () => {
    const v = (await view(tok.admin)).body;
    expect(v).not.toHaveProperty('notes');
    expect(v).not.toHaveProperty('routing');
    expect(v).not.toHaveProperty('assigneeId');
    expect(v.assigneeName).toBe('Eve Martin');
    expect(v.escalations).toEqual([{ target: 'product-team', at: expect.any(String), byName: 'Eve Martin' }]);
    const text = JSON.stringify(v);
    for (const secret of [NOTE, SUPERVISOR_NOTE, REASON, 'eve@', 'sam@', 'north-desk', '"eve"', '"sam"'])
      expect(text).not.toContain(secret);
    // everything else as staff see it
    expect(v).toMatchObject({ id: caseId, status: 'open', subject: openCaseBody.subject, version: 6 });
  });

  it("the customer's events: the notes left out, staff named, no vendor, routing or escalation reason", async () => {
    const history = await events(tok.admin);
    expect(history.map((e) => [e.type, e.version])).toEqual([
      ['Opened', 1],
      ['Routed', 2],
      ['AgentAssigned', 3],
      ['Escalated', 6],
    ]);
    const [opened, routed, assigned, escalated] = history;
    expect(opened.data).toMatchObject({ byId: 'ana', requester: { id: 'ana', email: 'ana@acme.example' } });
    expect(opened.metadata).toMatchObject({ actor: { id: 'ana', role: 'support-admin', org: 'acme.example' } });
    expect(routed.data).toEqual({ caseId, at: expect.any(String), byName: 'Support team', queueId: 'fr-P1' });
    expect(assigned.data).toEqual({
      caseId,
      at: expect.any(String),
      byName: 'Eve Martin',
      agentName: 'Eve Martin',
      forced: false,
    });
    expect(assigned.metadata).toEqual({ actor: { role: 'agent', name: 'Eve Martin' }, tenant: 'acme.example' });
    expect(escalated.data).toEqual({ caseId, at: expect.any(String), byName: 'Eve Martin', target: 'product-team' });
    const text = JSON.stringify(history);
    for (const secret of [NOTE, SUPERVISOR_NOTE, REASON, 'InternalNoteAdded', 'eve@', 'north-desk', '"eve"', '"sam"'])
      expect(text).not.toContain(secret);
  });

  it("a customer's write is answered with the customer's view", async () => {
    const replied = await post('replies', tok.admin, { message: 'Any news?' }).expect(200);
    expect(replied.body).not.toHaveProperty('notes');
    expect(replied.body).toMatchObject({ assigneeName: 'Eve Martin', version: 7 });
    expect(JSON.stringify(replied.body)).not.toContain(NOTE);
  });

  it("the customer's list names no member of staff: the neutral label", async () => {
    const position = (await post('notes', eve, { message: 'Replied.' }).expect(200)).headers['x-log-position'];
    const items = (await http().get(`/v1/cases?after=${position}`).set(as(tok.admin)).expect(200)).body.items;
    expect(items).toEqual([expect.objectContaining({ id: caseId, assigneeName: 'Support agent' })]);
    expect(items[0]).not.toHaveProperty('assigneeId');
    const staff = (await http().get(`/v1/cases?after=${position}`).set(as(tok.supervisor)).expect(200)).body.items;
    expect(staff).toEqual([expect.objectContaining({ id: caseId, assigneeId: 'eve' })]);
  });

  it('refuses customers (403), auditors (403 read-only), another vendor (404) and an empty note (400)', async () => {
    const customer = await post('notes', tok.admin, { message: 'Let me see.' }).expect(403);
    expect(customer.body.code).toBe('AUTH.FORBIDDEN');
    const otherAdmin = await post('notes', tok.customerAdmin, { message: 'Let me see.' }).expect(403);
    expect(otherAdmin.body.code).toBe('AUTH.FORBIDDEN');
    expect((await post('notes', tok.auditor, { message: 'x' }).expect(403)).body.code).toBe('AUTH.READ_ONLY');
    // R4: a case not routed to the agent's vendor does not exist for them, even in their language
    expect((await post('notes', otherVendor, { message: 'x' }).expect(404)).body.code).toBe('CASE.NOT_FOUND');
    await http().get(`/v1/cases/${caseId}`).set(as(otherVendor)).expect(404);
    expect((await post('notes', eve, { message: '' }).expect(400)).body.code).toBe('HTTP.VALIDATION_FAILED');
    const notes = (await events(tok.auditor)).filter((e) => e.type === 'InternalNoteAdded');
    expect(notes.map((e) => e.data.message)).toEqual([NOTE, SUPERVISOR_NOTE, 'Replied.']);
  });
});
