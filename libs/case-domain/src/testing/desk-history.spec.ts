import { createHash } from 'node:crypto';
import { derivedUuid } from '@app/event-store';
import { deskHistory } from './desk-history';

const hashOf = (appends: Iterable<unknown>): string => {
  const hash = createHash('sha256');
  for (const append of appends) hash.update(JSON.stringify(append)).update('\n');
  return hash.digest('hex');
};

/**
 * A seed's history is pinned: benches compare figures across runs of the same seed, and
 * seed:large (test/bench/seed-large.ts) resumes a seeded store by the ids a seed gives. A new
 * behaviour is a new option, off by default (as `incidentReports` and `maxCycles` are).
 */
describe('deskHistory', () => {
  it('gives, for a seed, the appends it always gave (defaults)', () => {
    expect(hashOf(deskHistory({ events: 5_000, seed: 20260302 }))).toBe(
      'e251115976d215b9bdf2974d7b19d246b5e5829b526bc85a10832a7890dd891a',
    );
  });

  it('gives, for a seed, the appends it always gave (incident reports, two cycles at most)', () => {
    const appends = deskHistory({ events: 5_000, seed: 7, concurrentCases: 40, incidentReports: true, maxCycles: 2 });
    expect(hashOf(appends)).toBe('b9da755c8ef0ccc92e752eaf2298f4f5bb670cab97af45ef3c857c0e962262d1');
  });

  it("names its events as @app/event-store's derivedUuid of (seed, case, version) would", () => {
    for (const append of deskHistory({ events: 300, seed: 5 }))
      append.events.forEach((event, i) =>
        expect(event.eventId).toBe(derivedUuid(`5:${append.caseId}:${append.expectedVersion + i + 1}`)),
      );
  });
});
