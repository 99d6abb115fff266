/**
 * The vocabulary of routing (R4, R16), shared by the `Routed` event, the policy and the
 * state. Each closed set is also an array, so the API can validate against the same list.
 */

/**
 * Why the chosen vendor was chosen:
 * - `follow-the-sun`: it speaks the case's language and is at work now;
 * - `next-shift`: no vendor speaking the language is at work now; this one starts first;
 * - `no-eligible-vendor`: no vendor speaks the language: no agent sees the case, only
 *   supervisors (who can add a vendor, or reassign).
 */
export const ROUTING_REASONS = ['follow-the-sun', 'next-shift', 'no-eligible-vendor'] as const;
export type RoutingReason = (typeof ROUTING_REASONS)[number];

/**
 * What made the shell decide:
 * - `opened`: the case was just opened;
 * - `shift-ended`: the case's vendor is off shift and the case is still unassigned;
 * - `unrouted`: the case had no vendor (none spoke its language then, or it was opened
 *   before routing existed) and one can take it now.
 */
export const ROUTING_TRIGGERS = ['opened', 'shift-ended', 'unrouted'] as const;
export type RoutingTrigger = (typeof ROUTING_TRIGGERS)[number];

/** A vendor that speaks the case's language, as the policy saw it when it decided. */
export interface RoutingCandidate {
  readonly vendorId: string;
  readonly atWork: boolean;
}

/** The policy's answer: where the case goes and why. */
export interface RoutingDecision {
  /** `<language>-<priority>`, e.g. `fr-P2` (see {@link queueIdOf}) */
  readonly queueId: string;
  /** null: no vendor speaks the language */
  readonly vendorId: string | null;
  readonly reason: RoutingReason;
  /** every eligible vendor, best first: who could have seen the case */
  readonly candidates: readonly RoutingCandidate[];
}

/** Where a case is routed now (folded from `Routed`). */
export interface CaseRouting {
  readonly vendorId: string | null;
  readonly queueId: string;
  readonly reason: RoutingReason;
  readonly at: string;
}
