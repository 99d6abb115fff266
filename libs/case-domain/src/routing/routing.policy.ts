import type { Priority } from '../case/case.types';
import { speaks, type Vendor } from '../vendor/vendor.model';
import type { RoutingCandidate, RoutingDecision } from './routing.types';

/** What the policy decides on. Time enters only through the two functions, so it stays pure. */
export interface RoutingRequest {
  /** the case's language (BCP 47) */
  readonly language: string;
  readonly priority: Priority;
  /** the customer's region (recorded in `Opened`'s SLA terms), when known: a tie-break */
  readonly region?: string;
  readonly vendors: readonly Vendor[];
  /** whether the vendor is at work now (its calendar's `isWorkingTime` at the shell's now) */
  readonly isAtWork: (vendor: Vendor) => boolean;
  /**
   * When an off-shift vendor's next shift starts (epoch ms), if it is known: with no vendor
   * at work, the one that starts first gets the case. Without it, the id order decides.
   */
  readonly nextShiftStart?: (vendor: Vendor) => number | undefined;
}

/** `fr` + `P2` → `fr-P2`: queues are per language and priority (R16); the tag is lower-cased. */
export const queueIdOf = (language: string, priority: Priority): string =>
  `${language.trim().toLowerCase()}-${priority}`;

interface Ranked {
  readonly vendor: Vendor;
  readonly atWork: boolean;
  readonly startsAt: number;
  readonly exact: boolean;
  readonly regional: boolean;
}

const compare = (a: Ranked, b: Ranked): number =>
  Number(b.atWork) - Number(a.atWork) ||
  // off shift: the sooner a vendor starts, the sooner the customer gets an answer
  (a.atWork ? 0 : a.startsAt - b.startsAt) ||
  // a vendor speaking the exact variant (fr-ca) before one speaking only the base (fr)
  Number(b.exact) - Number(a.exact) ||
  Number(b.regional) - Number(a.regional) ||
  (a.vendor.id < b.vendor.id ? -1 : a.vendor.id > b.vendor.id ? 1 : 0);

/**
 * Follow-the-sun routing (R4, R16). The eligible vendors are those speaking the case's
 * language; those at work now come first; then, among vendors equally placed, one speaking
 * the exact variant, one covering the customer's region, and finally the id, so the same
 * inputs always give the same answer. With nobody at work, the vendor whose shift starts
 * first. Every eligible vendor is listed in `candidates`, best first, with whether it was
 * at work: the `Routed` event keeps them, so history shows who could see the case and why.
 *
 * All at-work vendors being equal, the first by id takes every case: balancing the load
 * between vendors is not a rule of the policy we model.
 */
export const decideRouting = (request: RoutingRequest): RoutingDecision => {
  const queueId = queueIdOf(request.language, request.priority);
  const tag = request.language.trim().toLowerCase();
  const region = request.region?.trim().toLowerCase();
  const ranked = request.vendors
    .filter((vendor) => speaks(vendor.languages, tag))
    .map((vendor): Ranked => {
      const atWork = request.isAtWork(vendor);
      const next = atWork ? undefined : request.nextShiftStart?.(vendor);
      return {
        vendor,
        atWork,
        startsAt: next === undefined || Number.isNaN(next) ? Number.POSITIVE_INFINITY : next,
        exact: vendor.languages.includes(tag),
        regional: region !== undefined && vendor.regions.includes(region),
      };
    })
    .sort(compare);
  const candidates: RoutingCandidate[] = ranked.map((r) => ({ vendorId: r.vendor.id, atWork: r.atWork }));
  const best = ranked[0];
  if (!best) return { queueId, vendorId: null, reason: 'no-eligible-vendor', candidates };
  return { queueId, vendorId: best.vendor.id, reason: best.atWork ? 'follow-the-sun' : 'next-shift', candidates };
};
