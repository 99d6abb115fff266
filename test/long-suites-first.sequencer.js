/**
 * Jest's order, with the long suites first. On a first run (a clean clone: no timing cache)
 * jest orders test files by size, which left the long suites (small files calling a shared
 * suite, tens of seconds each) for the end of the run, side by side, with the short ones
 * already done: the run's last minute was those few. Started first, the short ones fill in
 * around them. With a timing cache, jest's own order (failed, then slowest first) follows.
 */
const Sequencer = require('@jest/test-sequencer').default;

/** path fragments of the suites that take longest on the 2-core CI machine, longest first */
const LONG = [
  // builds the API and the console, then drives Chromium through the screens (about a minute)
  '/console.browser-spec.ts',
  // two APIs and two workers as child processes, 100 cases through both, a relay leader killed
  '/multi-instance.int-spec.ts',
  '/read-models.int-spec.ts',
  '/projection-runner.int-spec.ts',
  '/read-models.spec.ts',
  '/kafka-relay-outage.int-spec.ts',
  '/projection-runner.spec.ts',
  '/fuzz.e2e-spec.ts',
  '/audit.e2e-spec.ts',
  '/pglite-template.spec.ts',
  '/command-faults.int-spec.ts',
  '/report-as-of.spec.ts',
  '/data-dir-lock.e2e-spec.ts',
  '/store-faults.int-spec.ts',
  '/console.e2e-spec.ts',
  '/events-stream.e2e-spec.ts',
  // 10,000 cases seeded through the append path, verified, seeded again (about 50 s)
  '/seed-large.int-spec.ts',
];

class LongSuitesFirst extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    const rank = (test) => {
      const i = LONG.findIndex((fragment) => test.path.replaceAll('\\', '/').endsWith(fragment));
      return i === -1 ? LONG.length : i;
    };
    // Array.prototype.sort is stable: the rest keeps jest's order
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongSuitesFirst;
