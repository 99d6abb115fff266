import type { RecordedEvent } from '@app/event-store';
import { envelopeHeaders, toPublishableEvent } from './case-event-envelope';

const pseudonymise = (id: string) => `p-${id}`;

const recorded = (over: Partial<RecordedEvent>): RecordedEvent => ({
  eventId: '0b5f8e0c-4f7e-4a55-9f43-3f0e4c1d2a01',
  type: 'Escalated',
  schemaVersion: 1,
  data: { caseId: 'c-42', at: '2026-03-02T09:30:00.000Z', byId: 'agent-1', target: 'supervisor', reason: 'Angry VIP' },
  metadata: { tenant: 'acme.example', actor: { id: 'agent-1', role: 'agent' }, correlationId: 'x' },
  streamId: 'case-c-42',
  streamVersion: 3,
  globalPosition: 17,
  transactionId: '900',
  recordedAt: new Date('2026-03-02T09:30:00.123Z'),
  ...over,
});

describe('toPublishableEvent', () => {
  it('wraps a case event in the envelope, keyed by case id, with the allow-listed data', () => {
    const p = toPublishableEvent(recorded({}), pseudonymise);
    expect(p).toEqual({
      key: 'c-42',
      stream: 'case',
      listed: true,
      streamVersion: 3,
      envelope: {
        eventId: '0b5f8e0c-4f7e-4a55-9f43-3f0e4c1d2a01',
        type: 'Escalated',
        schemaVersion: 1,
        caseId: 'c-42',
        tenant: 'acme.example',
        occurredAt: '2026-03-02T09:30:00.000Z',
        position: 17,
        data: { caseId: 'c-42', at: '2026-03-02T09:30:00.000Z', byId: 'p-agent-1', target: 'supervisor' },
      },
    });
  });

  it('keys an incident event by its stream, with no case and no tenant', () => {
    const p = toPublishableEvent(
      recorded({
        type: 'IncidentResolved',
        streamId: 'incident-i-9',
        data: {
          incidentId: 'i-9',
          at: '2026-03-02T11:00:00.000Z',
          byId: 'super-1',
          startedAt: '2026-03-02T08:00:00.000Z',
          endedAt: '2026-03-02T10:00:00.000Z',
        },
        metadata: { actor: { id: 'super-1', role: 'supervisor' } },
      }),
      pseudonymise,
    );
    expect(p?.key).toBe('incident-i-9');
    expect(p?.stream).toBe('incident');
    expect(p?.envelope).toMatchObject({ caseId: null, tenant: null, type: 'IncidentResolved' });
    expect(p?.envelope.data).toEqual({
      incidentId: 'i-9',
      at: '2026-03-02T11:00:00.000Z',
      byId: 'p-super-1',
      startedAt: '2026-03-02T08:00:00.000Z',
      endedAt: '2026-03-02T10:00:00.000Z',
    });
  });

  it('keys an intake event by its intake id, names the intake instead of a case, and keeps none of its free text', () => {
    const p = toPublishableEvent(
      recorded({
        type: 'CaseRequested',
        streamId: 'intake-in-7',
        data: {
          intakeId: 'in-7',
          at: '2026-03-02T09:40:00.000Z',
          byId: 'admin-1',
          caseId: 'c-43',
          requester: { id: 'admin-1', email: 'ada@acme.example' },
          subject: 'Nobody can sign in',
          description: 'Since 9:00 every login fails',
          product: 'cloud-identity-premium',
          channel: 'email',
          language: 'fr',
          impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
          workaround: 'none',
        },
        metadata: { tenant: 'acme.example', actor: { id: 'admin-1', role: 'support-admin' } },
      }),
      pseudonymise,
    );
    expect(p).toEqual({
      key: 'in-7',
      stream: 'intake',
      listed: true,
      streamVersion: 3,
      envelope: {
        eventId: '0b5f8e0c-4f7e-4a55-9f43-3f0e4c1d2a01',
        type: 'CaseRequested',
        schemaVersion: 1,
        intakeId: 'in-7',
        tenant: 'acme.example',
        occurredAt: '2026-03-02T09:40:00.000Z',
        position: 17,
        data: {
          intakeId: 'in-7',
          at: '2026-03-02T09:40:00.000Z',
          byId: 'p-admin-1',
          caseId: 'c-43',
          requester: { id: 'p-admin-1' },
          product: 'cloud-identity-premium',
          channel: 'email',
          language: 'fr',
          impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
          workaround: 'none',
        },
      },
    });
  });

  it("publishes an intake event by the intake's rules only, whatever its type is called", () => {
    // a case event type in an intake stream: not published by the case's rules, only the intake's base fields
    const p = toPublishableEvent(
      recorded({
        type: 'Escalated',
        streamId: 'intake-in-8',
        data: { intakeId: 'in-8', caseId: 'c-1', at: '2026-03-02T09:30:00.000Z', byId: 'admin-1', target: 'x' },
      }),
      pseudonymise,
    );
    expect(p).toMatchObject({ key: 'in-8', stream: 'intake', listed: false });
    expect(p?.envelope.data).toEqual({ intakeId: 'in-8', at: '2026-03-02T09:30:00.000Z', byId: 'p-admin-1' });
  });

  it('publishes nothing of other streams', () => {
    expect(toPublishableEvent(recorded({ streamId: 'article-1' }), pseudonymise)).toBeNull();
    expect(toPublishableEvent(recorded({ streamId: 'bench-1' }), pseudonymise)).toBeNull();
    expect(toPublishableEvent(recorded({ streamId: 'intake-' }), pseudonymise)).toBeNull();
  });

  it('publishes only the base fields of a type or version it has no rules for, and says so', () => {
    const p = toPublishableEvent(
      recorded({
        type: 'CaseMerged',
        data: { caseId: 'c-42', at: '2026-03-02T09:30:00.000Z', byId: 'agent-1', note: 'private' },
      }),
      pseudonymise,
    );
    expect(p?.listed).toBe(false);
    expect(p?.envelope.data).toEqual({ caseId: 'c-42', at: '2026-03-02T09:30:00.000Z', byId: 'p-agent-1' });
  });

  it('takes occurredAt from the recording time when the data has no instant, and drops a tenant that is not an id', () => {
    const p = toPublishableEvent(
      recorded({ data: { caseId: 'c-42' }, metadata: { tenant: 'ACME corp, Paris' } }),
      pseudonymise,
    );
    expect(p?.envelope.occurredAt).toBe('2026-03-02T09:30:00.123Z');
    expect(p?.envelope.tenant).toBeNull();
  });

  it('names type and schema version in the headers', () => {
    const p = toPublishableEvent(recorded({}), pseudonymise);
    expect(envelopeHeaders(p!.envelope)).toEqual({
      'event-id': '0b5f8e0c-4f7e-4a55-9f43-3f0e4c1d2a01',
      'event-type': 'Escalated',
      'schema-version': '1',
    });
  });
});
