/**
 * Benchmark: 1,000,000 `addBusinessTime` calls on random starts (2026-2027) and durations
 * (0 to 3 business days) across every shipped calendar, with a seeded PRNG so that runs are
 * comparable. Inputs are drawn before the clock starts; a warm-up pass first lets V8
 * optimise and fills the calendars' year caches (a cold year costs a few milliseconds once).
 * Then the cold cost: freshly loaded calendars each build 20 years (2030-2049) on first use,
 * their generated holidays included; `coldYearMs` is the mean time of one calendar-year.
 * The last line printed is `{"bench":"business-time","callsPerSec":<number>,"coldYearMs":<number>}`.
 */
// Run it compiled, from the repository root (docs/business-time.md):
//   rm -rf /tmp/bt-dist && npx swc test/bench libs/business-time -d /tmp/bt-dist -q \
//     && NODE_PATH=$PWD/node_modules node /tmp/bt-dist/test/bench/business-time.bench.js [calendarDir]
// NODE_PATH lets the compiled copy outside the repository find luxon.
import { resolve } from 'node:path';
import { addBusinessTime, businessDayLength, Calendar, loadCalendars } from '@app/business-time';

const CALLS = 1_000_000;
const WARM_UP = 200_000;
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2028, 0, 1);
const COLD_FROM = 2030;
const COLD_YEARS = 20;

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
const prng = (seed: number) => (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const main = (): void => {
  const dir = resolve(process.argv[2] ?? 'config/calendars');
  const calendars: Calendar[] = [...loadCalendars(dir).values()];
  const random = prng(20260101);
  const starts: Date[] = new Array(CALLS);
  const durations = new Float64Array(CALLS);
  const which = new Uint8Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const c = Math.floor(random() * calendars.length);
    which[i] = c;
    starts[i] = new Date(FROM + Math.floor(random() * (TO - FROM)));
    durations[i] = Math.floor(random() * 3 * businessDayLength(calendars[c]));
  }

  let checksum = 0;
  for (let i = 0; i < WARM_UP; i++) checksum += addBusinessTime(starts[i], durations[i], calendars[which[i]]).getTime();

  const began = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) checksum += addBusinessTime(starts[i], durations[i], calendars[which[i]]).getTime();
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;

  const callsPerSec = Math.round(CALLS / seconds);
  console.log(`calendars: ${calendars.map((c) => `${c.id}@${c.version}`).join(', ')}`);
  console.log(`${CALLS} addBusinessTime calls in ${seconds.toFixed(3)} s (checksum ${checksum % 1e9})`);

  const fresh: Calendar[] = [...loadCalendars(dir).values()];
  const coldBegan = process.hrtime.bigint();
  for (const calendar of fresh) {
    for (let year = COLD_FROM; year < COLD_FROM + COLD_YEARS; year++) {
      checksum += addBusinessTime(new Date(Date.UTC(year, 5, 1)), 0, calendar).getTime();
    }
  }
  const coldMs = Number(process.hrtime.bigint() - coldBegan) / 1e6;
  const coldYearMs = Math.round((coldMs / (fresh.length * COLD_YEARS)) * 100) / 100;
  console.log(`${fresh.length * COLD_YEARS} cold calendar-years built in ${coldMs.toFixed(1)} ms`);
  console.log(JSON.stringify({ bench: 'business-time', callsPerSec, coldYearMs }));
};

main();
