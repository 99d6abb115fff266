import { deciderSpec, SPEC_NOW } from '@app/testing';
import fc from 'fast-check';
import { foldEvents } from '../shared/decider';
import { DomainRuleViolation, InvalidCommand } from '../shared/domain-rule-violation';
import { incidentDecider } from './incident.decider';
import {
  IncidentAlreadyDeclared,
  IncidentAlreadyResolved,
  IncidentEndsBeforeStart,
  IncidentNotFound,
} from './incident.errors';
import {
  incidentEvent,
  toIncidentView,
  type DeclareIncident,
  type IncidentEvent,
  type ResolveIncident,
} from './incident.model';

const given = deciderSpec(incidentDecider);
const supervisor = { id: 'super-1', role: 'supervisor' };
const AT = SPEC_NOW.toISOString();
const STARTED = '2026-03-02T07:00:00.000Z';
const ENDED = '2026-03-02T09:00:00.000Z';

const declare = (o: Partial<DeclareIncident> = {}): DeclareIncident => ({
  type: 'DeclareIncident',
  incidentId: 'inc-1',
  actor: supervisor,
  title: 'SSO outage in EU',
  services: ['sso', 'directory', 'sso'],
  startedAt: new Date(STARTED),
  ...o,
});
const resolve = (endedAt = ENDED): ResolveIncident => ({
  type: 'ResolveIncident',
  incidentId: 'inc-1',
  actor: supervisor,
  endedAt: new Date(endedAt),
});
const declared = incidentEvent('IncidentDeclared', {
  incidentId: 'inc-1',
  at: STARTED,
  byId: supervisor.id,
  title: 'SSO outage in EU',
  services: ['sso', 'directory'],
  startedAt: STARTED,
});
const resolved = incidentEvent('IncidentResolved', {
  incidentId: 'inc-1',
  at: ENDED,
  byId: supervisor.id,
  startedAt: STARTED,
  endedAt: ENDED,
});

describe('DeclareIncident (R14)', () => {
  it('R14: records an incident with its start and the services it hits', () =>
    given([])
      .when(declare())
      .then([{ ...declared, data: { ...declared.data, at: AT } }]));

  it('refuses to declare an incident twice', () =>
    given([declared]).when(declare()).thenThrows(IncidentAlreadyDeclared));

  it.each([
    ['no title', declare({ title: '' })],
    ['no service', declare({ services: [] })],
    ['an invalid start', declare({ startedAt: new Date('x') })],
  ])('refuses %s', (_what, command) => given([]).when(command).thenThrows(InvalidCommand));
});

describe('ResolveIncident (R14)', () => {
  it('R14: records the end of the incident', () =>
    given([declared])
      .when(resolve())
      .then([{ ...resolved, data: { ...resolved.data, at: AT } }]));

  it('R14: an incident may end the moment it started', () =>
    given([declared])
      .when(resolve(STARTED))
      .then([{ ...resolved, data: { ...resolved.data, at: AT, endedAt: STARTED } }]));

  it('refuses an end before the start', () =>
    given([declared])
      .when(resolve('2026-03-02T06:59:59.999Z'))
      .thenThrows(IncidentEndsBeforeStart, (e) => expect(e.code).toBe('INCIDENT.ENDS_BEFORE_START')));

  it('refuses to resolve an incident twice', () =>
    given([declared, resolved]).when(resolve()).thenThrows(IncidentAlreadyResolved));

  it('refuses an unknown incident', () =>
    given([])
      .when(resolve())
      .thenThrows(IncidentNotFound, (e) => expect(e.kind).toBe('not-found')));
});

describe('evolveIncident and the view', () => {
  it('folds declaration and resolution, counting the version', () => {
    expect(toIncidentView(foldEvents(incidentDecider, [declared]))).toEqual({
      id: 'inc-1',
      status: 'ongoing',
      title: 'SSO outage in EU',
      services: ['sso', 'directory'],
      startedAt: STARTED,
      version: 1,
    });
    expect(toIncidentView(foldEvents(incidentDecider, [declared, resolved]))).toMatchObject({
      status: 'resolved',
      endedAt: ENDED,
      version: 2,
    });
    expect(toIncidentView(incidentDecider.initialState)).toBeNull();
  });
});

describe('incident properties (any command sequence)', () => {
  const instant = fc.integer({ min: 0, max: 10 }).map((h) => new Date(Date.UTC(2026, 2, 2, h)));
  const commandArb = fc.oneof(
    fc.record({ startedAt: instant, title: fc.constantFrom('Outage', '') }).map((o) => declare(o)),
    instant.map((endedAt) => resolve(endedAt.toISOString())),
  );

  it('declares once, resolves once, never ends before it starts, and folds back to what decide saw', () =>
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 12 }), (commands) => {
        const history: IncidentEvent[] = [];
        for (const command of commands) {
          const state = foldEvents(incidentDecider, history);
          try {
            history.push(...incidentDecider.decide(state, command, SPEC_NOW));
          } catch (error) {
            expect(error).toBeInstanceOf(DomainRuleViolation);
          }
        }
        expect(history.filter((e) => e.type === 'IncidentDeclared').length).toBeLessThanOrEqual(1);
        expect(history.filter((e) => e.type === 'IncidentResolved').length).toBeLessThanOrEqual(1);
        for (const e of history)
          if (e.type === 'IncidentResolved') expect(e.data.endedAt >= e.data.startedAt).toBe(true);
        expect(foldEvents(incidentDecider, JSON.parse(JSON.stringify(history)))).toEqual(
          foldEvents(incidentDecider, history),
        );
      }),
    ));
});
