import type { Priority, PriorityIntake } from './case.types';

/**
 * R9: the priority derived from the intake answers (never typed in by the customer).
 * Read as "the most urgent row of the policy's table (docs/domain-model.md) that the answers match":
 *
 * - P1 needs all three of: service unusable, several users, no workaround.
 * - P2: no acceptable workaround, and either the product does not work as expected
 *   (unusable or not as expected, whatever the scope) or collaboration is harmed. A product
 *   that "works, not as desired" but harms collaboration with no workaround is P2: P4's
 *   definition says no workaround is needed, which the customer just told us is false.
 * - P3: a workaround is available and the product does not work (as expected): P1 and P2
 *   both require that no (acceptable) workaround exists, so a workaround caps at P3,
 *   even for an unusable service hitting several users (the policy's P3: "or unusable").
 * - P4: the product works, not in the way wished, and nothing above applies.
 *
 * docs/domain-model.md justifies the ambiguous cells; priority.policy.spec.ts tests all 24.
 */
export const priorityFor = ({ impact, workaround }: PriorityIntake): Priority => {
  const productBroken = impact.serviceState !== 'works-not-as-desired';
  if (workaround === 'none') {
    if (impact.serviceState === 'unusable' && impact.scope === 'several-users') return 'P1';
    if (productBroken || impact.collaborationHarmed) return 'P2';
    return 'P4';
  }
  return productBroken ? 'P3' : 'P4';
};
