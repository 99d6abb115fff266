import { IANAZone } from 'luxon';

/**
 * Wall-clock time to instant conversion for one IANA zone over a bounded stretch of time.
 *
 * Luxon is asked for the zone's UTC offset only while a year of a calendar is being built
 * (a few hundred calls); the hot path of the arithmetic works on plain numbers.
 *
 * "Wall time" here is a local date and time encoded as if it were UTC:
 * `Date.UTC(y, m - 1, d, hh, mm)`. An instant is a real epoch millisecond.
 */

/** A stretch of time `[from, to)` during which the zone keeps one UTC offset. */
export interface OffsetSegment {
  readonly from: number;
  readonly to: number;
  readonly offsetMs: number;
}

const HOUR = 3_600_000;
/** Sampling step: a zone never changes its offset twice within 12 hours. */
const STEP = 12 * HOUR;

/** The offset segments of `zone` covering `[from, to)`, found by sampling and bisection. */
export const offsetSegments = (zone: IANAZone, from: number, to: number): OffsetSegment[] => {
  const offsetAt = (t: number): number => zone.offset(t) * 60_000;
  const segments: OffsetSegment[] = [];
  let segmentStart = from;
  let offset = offsetAt(from);
  for (let probe = from; probe < to;) {
    const next = Math.min(probe + STEP, to);
    const nextOffset = offsetAt(next);
    if (nextOffset !== offset) {
      // the change happens in (probe, next]: bisect to the millisecond
      let lo = probe;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === offset) lo = mid;
        else hi = mid;
      }
      segments.push({ from: segmentStart, to: hi, offsetMs: offset });
      segmentStart = hi;
      offset = offsetAt(hi);
      probe = hi;
      continue;
    }
    probe = next;
  }
  segments.push({ from: segmentStart, to, offsetMs: offset });
  return segments;
};

/**
 * The instant at which the zone's clock shows `wall`.
 *
 * - `'first'`: where the wall time occurs twice (clocks set back), the first occurrence;
 *   `'last'`: the second one. Working intervals start at the first and end at the last
 *   occurrence, so an interval that spans a repeated hour grows by that hour.
 * - A wall time that never occurs (clocks set forward) maps to the instant of the jump, so
 *   an interval that spans a skipped hour shrinks by it, and one inside it vanishes.
 */
export const wallToInstant = (
  wall: number,
  segments: readonly OffsetSegment[],
  occurrence: 'first' | 'last',
): number => {
  let found = Number.NaN;
  for (const segment of segments) {
    const t = wall - segment.offsetMs;
    if (t >= segment.from && t < segment.to) {
      if (Number.isNaN(found)) found = t;
      else found = occurrence === 'first' ? Math.min(found, t) : Math.max(found, t);
    }
  }
  if (!Number.isNaN(found)) return found;
  for (let i = 1; i < segments.length; i++) {
    const jump = segments[i].from;
    if (wall >= jump + segments[i - 1].offsetMs && wall < jump + segments[i].offsetMs) return jump;
  }
  throw new RangeError(`wall time ${new Date(wall).toISOString()} is outside the converted range`);
};
