import fc from 'fast-check';
import { deciderSpec, SPEC_NOW } from '@app/testing';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { CaseNotFound } from '../case/case.errors';
import { caseEvent, type CaseEvent } from '../case/case.events';
import { evolve } from '../case/case.evolve';
import { initialCaseState } from '../case/case.state';
import { toCaseView } from '../case/case.view';
import { AT, assigned, CASE_ID, closed, opened, reopened, resolved } from '../testing';
import { caseDecider } from '../case/case.decide';
import { ROUTER, routeCase, type RouteCase } from './route-case.decide';
import type { RoutingDecision } from './routing.types';

const given = deciderSpec(caseDecider);

const decision = (vendorId: string | null, o: Partial<RoutingDecision> = {}): RoutingDecision => ({
  queueId: 'fr-P1',
  vendorId,
  reason: vendorId === null ? 'no-eligible-vendor' : 'follow-the-sun',
  candidates: vendorId === null ? [] : [{ vendorId, atWork: true }],
  ...o,
});

const route = (
  vendorId: string | null,
  trigger: RouteCase['trigger'] = 'opened',
  o: Partial<RoutingDecision> = {},
): RouteCase => ({
  type: 'RouteCase',
  caseId: CASE_ID,
  actor: ROUTER,
  trigger,
  decision: decision(vendorId, o),
});

const routed = (vendorId: string | null, trigger: RouteCase['trigger'] = 'opened', previous?: string | null) =>
  caseEvent('Routed', {
    caseId: CASE_ID,
    at: AT,
    byId: ROUTER.id,
    ...decision(vendorId),
    trigger,
    ...(previous === undefined ? {} : { previousVendorId: previous }),
  });

describe('RouteCase (R4, R16)', () => {
  it('records where a new case goes, and why', () =>
    given([opened()])
      .when(route('north-desk'))
      .then([routed('north-desk')]));

  it('records a case no vendor can take, so that history says why no agent saw it', () =>
    given([opened()])
      .when(route(null))
      .then([routed(null)]));

  it('moves an unassigned case to another vendor when the shift ended, naming the one before', () =>
    given([opened(), routed('north-desk')])
      .when(route('east-desk', 'shift-ended'))
      .then([routed('east-desk', 'shift-ended', 'north-desk')]));

  it('does nothing when the decision names the vendor it already has (the re-router may run any number of times)', () =>
    given([opened(), routed('north-desk')])
      .when(route('north-desk', 'shift-ended'))
      .thenNothingHappened());

  it('does nothing for a case someone holds, or that is resolved or closed: it is in no queue', () => {
    given([opened(), routed('north-desk'), assigned()])
      .when(route('east-desk', 'shift-ended'))
      .thenNothingHappened();
    given([opened(), routed('north-desk'), resolved()])
      .when(route('east-desk', 'shift-ended'))
      .thenNothingHappened();
    given([opened(), resolved(), closed()]).when(route('east-desk', 'unrouted')).thenNothingHappened();
  });

  it('routes a reopened, unassigned case again', () =>
    given([opened(), resolved(), reopened()])
      .when(route('north-desk', 'unrouted'))
      .then([routed('north-desk', 'unrouted')]));

  it('refuses a case that was never opened(), and a decision that does not hold together', () => {
    given([]).when(route('north-desk')).thenThrows(CaseNotFound);
    given([opened()])
      .when(route('north-desk', 'opened', { reason: 'no-eligible-vendor' }))
      .thenThrows(InvalidCommand);
    given([opened()])
      .when(route(null, 'opened', { reason: 'follow-the-sun' }))
      .thenThrows(InvalidCommand);
    given([opened()])
      .when({ ...route('north-desk'), trigger: 'whim' as never })
      .thenThrows(InvalidCommand);
    given([opened()])
      .when(route('north-desk', 'opened', { candidates: [{ vendorId: 'x', atWork: 'yes' as never }] }))
      .thenThrows(InvalidCommand);
    given([opened()])
      .when({ ...route('north-desk'), caseId: 'case-other' })
      .thenThrows(InvalidCommand);
  });

  it('the state and the view say where the case is routed; the queue follows the priority', () => {
    const priorityChanged = caseEvent('PriorityChanged', {
      caseId: CASE_ID,
      at: AT,
      byId: 'super-1',
      from: 'P1',
      to: 'P3',
      reason: 'minor',
    });
    const state = [opened(), routed('north-desk'), priorityChanged].reduce(evolve, initialCaseState);
    expect(state.status !== 'not-opened' && state.routing).toEqual({
      vendorId: 'north-desk',
      queueId: 'fr-P1',
      reason: 'follow-the-sun',
      at: AT,
    });
    expect(toCaseView(state)?.routing).toEqual({
      vendorId: 'north-desk',
      queueId: 'fr-P3',
      reason: 'follow-the-sun',
      routedAt: AT,
    });
    expect(toCaseView([opened(), routed(null)].reduce(evolve, initialCaseState))?.routing).toEqual({
      queueId: 'fr-P1',
      reason: 'no-eligible-vendor',
      routedAt: AT,
    });
    expect(toCaseView([opened()].reduce(evolve, initialCaseState))).not.toHaveProperty('routing');
  });

  it('property: whatever the history, routing twice in a row with the same decision records at most one event', () =>
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom<CaseEvent>(assigned(), resolved(), reopened(), closed(), routed('west-desk', 'unrouted')),
          {
            maxLength: 6,
          },
        ),
        fc.constantFrom('north-desk', 'west-desk', null),
        fc.constantFrom<RouteCase['trigger']>('opened', 'shift-ended', 'unrouted'),
        (later, vendorId, trigger) => {
          const state = [opened(), ...later].reduce(evolve, initialCaseState);
          const first = routeCase(state, route(vendorId, trigger), SPEC_NOW);
          expect(first.length).toBeLessThanOrEqual(1);
          const after = first.reduce(evolve, state);
          expect(routeCase(after, route(vendorId, trigger), SPEC_NOW)).toEqual([]);
          // routing never changes the status, the holder or the priority
          if (state.status !== 'not-opened' && after.status !== 'not-opened')
            expect([after.status, after.assigneeId, after.priority]).toEqual([
              state.status,
              state.assigneeId,
              state.priority,
            ]);
        },
      ),
    ));
});
