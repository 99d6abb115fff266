import { isRetriable, messageOf } from './projection.errors';
import { assertValidProjection, checkpointNameOf, physicalTableOf, rebuildCheckpointNameOf } from './projection';
import { caseSummariesProjection } from '@app/read-models';

describe('isRetriable sorts errors into "retry helps" and "park it"', () => {
  it.each([
    ['a lost socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a server shutting down (57P01)', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['a connection exception class (08006)', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['a serialisation failure (40001)', Object.assign(new Error('could not serialize'), { code: '40001' })],
    ['a deadlock (40P01)', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['too many connections (53300)', Object.assign(new Error('too many clients'), { code: '53300' })],
    ["pg's message for a dropped connection", new Error('Connection terminated unexpectedly')],
    ['an error that says so itself', Object.assign(new Error('busy'), { retriable: true })],
  ])('retries %s', (_, error) => expect(isRetriable(error)).toBe(true));

  it.each([
    ['a bug in a projection', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a constraint violation (23505)', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a missing column (42703)', Object.assign(new Error('column does not exist'), { code: '42703' })],
    [
      'an error that says no retry helps, whatever its code',
      Object.assign(new Error('x'), { code: '57P01', retriable: false }),
    ],
    ['a thrown string', 'boom'],
    ['nothing', undefined],
  ])('does not retry %s', (_, error) => expect(isRetriable(error)).toBe(false));

  it('keeps stored messages short and free of NUL characters', () => {
    expect(messageOf(new Error('a\u0000b'))).toBe('Error: ab');
    expect(messageOf(new Error('x'.repeat(5_000))).length).toBe(2_000);
  });
});

describe('projection names', () => {
  it('follow projector:<name>:v<N>, and each generation has its own tables', () => {
    expect(checkpointNameOf('case-summaries', 1)).toBe('projector:case-summaries:v1');
    expect(rebuildCheckpointNameOf('case-summaries', 2)).toBe('projector:case-summaries:v2:rebuild');
    expect(physicalTableOf('case_summaries', 1, 3)).toBe('case_summaries_v1_g3');
  });

  it('refuses names that could not be used safely in SQL', () => {
    expect(() => assertValidProjection(caseSummariesProjection)).not.toThrow();
    expect(() => assertValidProjection({ ...caseSummariesProjection, name: 'Case Summaries' })).toThrow(/kebab-case/);
    expect(() => assertValidProjection({ ...caseSummariesProjection, version: 0 })).toThrow(/positive integer/);
    const badTable = { ...caseSummariesProjection, tables: { 'cases; DROP TABLE events': () => '' } };
    expect(() => assertValidProjection(badTable as never)).toThrow(/snake_case/);
  });
});
