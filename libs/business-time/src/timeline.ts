import { IANAZone } from 'luxon';
import type { Weekday, WorkingHours } from './calendar';
import type { HolidaySource } from './holidays';
import { offsetSegments, wallToInstant } from './zone-offsets';

/**
 * The working time of one calendar as sorted UTC intervals, one block per local year,
 * built on first use and kept (memoised). Each block holds, per interval, the working time
 * before it in the year, so that the business-time position of any instant, and the
 * instant at any position, are two binary searches: the arithmetic is O(log n) whatever
 * the duration, and touches neither Luxon nor `Date` objects.
 *
 * Position: `pos(t)` = working milliseconds from an origin to `t`. It is continuous and
 * non-decreasing; it is flat outside working time.
 */

/** The years the arithmetic covers (and the dates a calendar file may hold). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2399;

const DAY = 86_400_000;
const MINUTE = 60_000;
const AVERAGE_YEAR = 31_556_952_000; // 365.2425 days

interface YearBlock {
  readonly year: number;
  /** the first instant of local 1 January, and of the next year's */
  readonly start: number;
  readonly end: number;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** working ms of this year before interval i, and up to its end */
  readonly before: Float64Array;
  readonly upTo: Float64Array;
  readonly total: number;
}

export class Timeline {
  private readonly zone: IANAZone;
  /** per weekday, Monday first: [startMinute, endMinute] pairs */
  private readonly template: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  private readonly blocks: (YearBlock | undefined)[] = [];

  constructor(
    timeZone: string,
    week: Readonly<Record<Weekday, readonly WorkingHours[]>>,
    /** the calendar's holidays; a year's are asked for once, when its block is built */
    readonly holidays: HolidaySource,
  ) {
    this.zone = IANAZone.create(timeZone);
    const order: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    this.template = order.map((day) => week[day].map((h) => [h.startMinute, h.endMinute] as const));
  }

  /** The instant at which `d` ms of working time have elapsed since `t` (see business-time.ts). */
  add(t: number, d: number): number {
    let block = this.blockAt(t);
    let x = position(block, t) + d;
    // whole years are skipped by their totals; `>=` so that a position at the very end of a
    // year resolves to the first working moment of the next one
    while (x >= block.total) {
      x -= block.total;
      block = this.block(block.year + 1);
    }
    const j = firstAbove(block.upTo, x);
    return block.starts[j] + (x - block.before[j]);
  }

  /** Working ms in `[a, b)`; 0 when `b <= a`. */
  between(a: number, b: number): number {
    if (b <= a) return 0;
    const from = this.blockAt(a);
    const to = this.blockAt(b);
    let sum = position(to, b) - position(from, a);
    for (let year = from.year; year < to.year; year++) sum += this.block(year).total;
    return sum;
  }

  isWorking(t: number): boolean {
    const block = this.blockAt(t);
    const i = lastAtOrBefore(block.starts, t);
    return i >= 0 && t < block.ends[i];
  }

  /** The working intervals clipped to `[from, to)`, as `[start, end)` instants. */
  intervals(from: number, to: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    if (to <= from) return out;
    const last = this.blockAt(to).year;
    for (let year = this.blockAt(from).year; year <= last; year++) {
      const block = this.block(year);
      for (let i = Math.max(0, lastAtOrBefore(block.starts, from)); i < block.starts.length; i++) {
        const start = Math.max(block.starts[i], from);
        const end = Math.min(block.ends[i], to);
        if (block.starts[i] >= to) break;
        if (end > start) out.push([start, end]);
      }
    }
    return out;
  }

  private blockAt(t: number): YearBlock {
    let block = this.block(1970 + Math.floor(t / AVERAGE_YEAR));
    while (t < block.start) block = this.block(block.year - 1);
    while (t >= block.end) block = this.block(block.year + 1);
    return block;
  }

  private block(year: number): YearBlock {
    return this.blocks[year - MIN_YEAR] ?? this.build(year);
  }

  private build(year: number): YearBlock {
    if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
      throw new RangeError(`business time is computed for the years ${MIN_YEAR} to ${MAX_YEAR} only (asked: ${year})`);
    }
    const first = Date.UTC(year, 0, 1);
    const next = Date.UTC(year + 1, 0, 1);
    const segments = offsetSegments(this.zone, first - 2 * DAY, next + 2 * DAY);
    const start = wallToInstant(first, segments, 'first');
    const end = wallToInstant(next, segments, 'first');
    const starts: number[] = [];
    const ends: number[] = [];
    // the year's holidays are local dates in the calendar's zone, like the days walked here
    const holidayDays = new Set(this.holidays.inYear(year).map((h) => Date.parse(`${h.date}T00:00:00Z`) / DAY));
    for (let day = first; day < next; day += DAY) {
      const dayNumber = day / DAY;
      if (holidayDays.has(dayNumber)) continue;
      for (const [from, to] of this.template[(((dayNumber + 3) % 7) + 7) % 7]) {
        const s = Math.max(start, wallToInstant(day + from * MINUTE, segments, 'first'));
        const e = Math.min(end, wallToInstant(day + to * MINUTE, segments, 'last'));
        if (e <= s) continue; // wholly inside a skipped hour
        const n = ends.length;
        if (n > 0 && s <= ends[n - 1])
          ends[n - 1] = Math.max(ends[n - 1], e); // touching: one interval
        else {
          starts.push(s);
          ends.push(e);
        }
      }
    }
    const before = new Float64Array(starts.length);
    const upTo = new Float64Array(starts.length);
    let total = 0;
    for (let i = 0; i < starts.length; i++) {
      before[i] = total;
      total += ends[i] - starts[i];
      upTo[i] = total;
    }
    const block: YearBlock = {
      year,
      start,
      end,
      starts: Float64Array.from(starts),
      ends: Float64Array.from(ends),
      before,
      upTo,
      total,
    };
    this.blocks[year - MIN_YEAR] = block;
    return block;
  }
}

/** Working ms from the block's start to `t` (t inside the block). */
const position = (block: YearBlock, t: number): number => {
  const i = lastAtOrBefore(block.starts, t);
  return i < 0 ? 0 : Math.min(block.before[i] + (t - block.starts[i]), block.upTo[i]);
};

/** The largest i with `a[i] <= x`, or -1. */
const lastAtOrBefore = (a: Float64Array, x: number): number => {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
};

/** The smallest i with `a[i] > x` (the caller guarantees one exists). */
const firstAbove = (a: Float64Array, x: number): number => {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};
