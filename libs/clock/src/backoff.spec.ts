import { backoffCeiling, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  it('doubles from the first delay and stops at the bound, half of it fixed and half random', () => {
    expect([1, 2, 3, 4, 5, 30].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 30].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('stays within the bound for any attempt, even a huge one', () => {
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, policy, () => 0.5)).toBe(750);
  });
});

describe('backoffCeiling', () => {
  it("is the timers' rule: 1 s, 2 s, 4 s… up to 5 min", () => {
    const timers = { initialMs: 1_000, maxMs: 300_000 };
    expect([1, 2, 3, 9, 10, 50].map((a) => backoffCeiling(a, timers))).toEqual([
      1_000, 2_000, 4_000, 256_000, 300_000, 300_000,
    ]);
  });

  it("is the e-mails' rule: 30 s, 1 min, 2 min… up to an hour; no attempt yet counts as one", () => {
    const mails = { initialMs: 30_000, maxMs: 3_600_000 };
    expect([0, 1, 2, 3, 7, 8, 40].map((a) => backoffCeiling(a, mails))).toEqual([
      30_000, 30_000, 60_000, 120_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });
});
