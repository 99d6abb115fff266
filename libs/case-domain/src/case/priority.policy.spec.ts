import { priorityFor } from './priority.policy';
import type { ImpactScope, Priority, ServiceState, Workaround } from './case.types';
import { IMPACT_SCOPES, SERVICE_STATES, WORKAROUNDS } from './case.types';

type Row = [ServiceState, ImpactScope, boolean, Workaround, Priority, string];

/**
 * R9, every combination of the intake answers (3 × 2 × 2 × 2 = 24), written out by hand
 * against the policy's table (docs/domain-model.md; not computed), each with the rule it follows.
 * Columns: service state, scope, collaboration harmed, workaround → priority.
 */
// prettier-ignore
const table: Row[] = [
  // ── unusable ─────────────────────────────────────────────────────────────
  ['unusable', 'several-users', false, 'none',      'P1', 'P1: unusable, several users, no workaround'],
  ['unusable', 'several-users', true,  'none',      'P1', 'P1: same; harmed collaboration matches P2 too, the most urgent row wins'],
  ['unusable', 'several-users', false, 'available', 'P3', 'P3: P1 and P2 need "no workaround"; P3 row of the policy: "(or unusable) with a workaround"'],
  ['unusable', 'several-users', true,  'available', 'P3', 'P3: P2 needs "no acceptable workaround", so harm with a workaround is P3'],
  ['unusable', 'one-user',      false, 'none',      'P2', 'P2: critical access problem affecting one user, no workaround'],
  ['unusable', 'one-user',      true,  'none',      'P2', 'P2: one user, and collaboration harmed, no workaround'],
  ['unusable', 'one-user',      false, 'available', 'P3', 'P3: unusable with a workaround'],
  ['unusable', 'one-user',      true,  'available', 'P3', 'P3: the workaround rules out P2'],
  // ── not as expected ──────────────────────────────────────────────────────
  ['not-as-expected', 'several-users', false, 'none',      'P2', 'P2: not working as expected, no workaround; not P1 (service still usable)'],
  ['not-as-expected', 'several-users', true,  'none',      'P2', 'P2: not as expected and collaboration harmed, no workaround'],
  ['not-as-expected', 'several-users', false, 'available', 'P3', 'P3: not working as expected, a workaround can be implemented'],
  ['not-as-expected', 'several-users', true,  'available', 'P3', 'P3: the workaround rules out P2'],
  ['not-as-expected', 'one-user',      false, 'none',      'P2', 'P2: not working as expected, no workaround'],
  ['not-as-expected', 'one-user',      true,  'none',      'P2', 'P2: not as expected and collaboration harmed, no workaround'],
  ['not-as-expected', 'one-user',      false, 'available', 'P3', 'P3: not as expected with a workaround'],
  ['not-as-expected', 'one-user',      true,  'available', 'P3', 'P3: the workaround rules out P2'],
  // ── works, not as desired ────────────────────────────────────────────────
  ['works-not-as-desired', 'several-users', false, 'none',      'P4', 'P4: works, not as desired; no workaround needed'],
  ['works-not-as-desired', 'several-users', true,  'none',      'P2', 'P2: collaboration harmed with no workaround; P4 assumes none is needed'],
  ['works-not-as-desired', 'several-users', false, 'available', 'P4', 'P4: works, not as desired'],
  ['works-not-as-desired', 'several-users', true,  'available', 'P4', 'P4: works and the harm has a workaround; P3 is for a product that does not work'],
  ['works-not-as-desired', 'one-user',      false, 'none',      'P4', 'P4: works, not as desired'],
  ['works-not-as-desired', 'one-user',      true,  'none',      'P2', 'P2: collaboration harmed with no workaround (scope does not matter below P1)'],
  ['works-not-as-desired', 'one-user',      false, 'available', 'P4', 'P4: works, not as desired'],
  ['works-not-as-desired', 'one-user',      true,  'available', 'P4', 'P4: works and the harm has a workaround'],
];

describe('priorityFor (R9)', () => {
  it.each(table)(
    '%s, %s, collaboration harmed: %s, workaround: %s → %s (%s)',
    (serviceState, scope, collaborationHarmed, workaround, expected) =>
      expect(priorityFor({ impact: { serviceState, scope, collaborationHarmed }, workaround })).toBe(expected),
  );

  it('the table covers every combination of the intake answers exactly once', () => {
    const all = SERVICE_STATES.flatMap((s) =>
      IMPACT_SCOPES.flatMap((scope) => [false, true].flatMap((h) => WORKAROUNDS.map((w) => `${s}|${scope}|${h}|${w}`))),
    );
    const covered = table.map(([s, scope, h, w]) => `${s}|${scope}|${h}|${w}`);
    expect(covered.sort()).toEqual(all.sort());
    expect(all).toHaveLength(24);
  });

  it('R9: a workaround never raises the priority, and only the unusable-for-several case reaches P1', () => {
    const rank = (p: Priority) => Number(p.slice(1));
    for (const [serviceState, scope, collaborationHarmed] of table) {
      const impact = { serviceState, scope, collaborationHarmed };
      expect(rank(priorityFor({ impact, workaround: 'available' }))).toBeGreaterThanOrEqual(
        rank(priorityFor({ impact, workaround: 'none' })),
      );
    }
    expect(
      table
        .filter((row) => row[4] === 'P1')
        .every(([s, scope, , w]) => s === 'unusable' && scope === 'several-users' && w === 'none'),
    ).toBe(true);
  });
});
