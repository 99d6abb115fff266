import { DatabaseError } from 'pg';
import { TransactionConnectionLost } from '@app/event-store';
import { HelpSearchInvalid } from '@app/read-models';
import { retryAfterOf, toProblem } from './problem-mapping';

const terminated = () => {
  const e = new DatabaseError('terminating connection due to administrator command', 0, 'error');
  e.code = '57P01';
  return e;
};

describe('problem mapping of a lost database connection', () => {
  it.each([
    ['pg_terminate_backend (57P01)', terminated()],
    ['Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'a transaction whose connection died',
      new TransactionConnectionLost(new Error('Connection terminated unexpectedly')),
    ],
  ])('%s: 503 STORE.UNAVAILABLE, retriable, with a Retry-After', (_what, error) => {
    expect(toProblem(error)).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      code: 'STORE.UNAVAILABLE',
      type: 'https://support-backend.dev/problems/store-unavailable',
      retriable: true,
    });
    expect(retryAfterOf(error)).toBe(1);
  });

  it('any other failure stays a 500 without Retry-After; a contention keeps its own Retry-After', () => {
    const other = new Error('the view failed after the commit');
    expect(toProblem(other)).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(retryAfterOf(other)).toBeUndefined();
    const contention = Object.assign(new Error('contention'), {
      status: 503,
      code: 'WRITE.CONTENTION',
      retryAfterSeconds: 2,
    });
    expect(retryAfterOf(contention)).toBe(2);
  });
});

describe('problem mapping of a read model not built yet', () => {
  it('"relation does not exist" (42P01) is 503 READ_MODEL.NOT_READY, retriable, with a Retry-After', () => {
    const missing = new DatabaseError('relation "case_queue" does not exist', 0, 'error');
    missing.code = '42P01';
    expect(toProblem(missing)).toMatchObject({
      status: 503,
      code: 'READ_MODEL.NOT_READY',
      type: 'https://support-backend.dev/problems/read-model-not-ready',
      retriable: true,
    });
    expect(toProblem(missing).detail).toMatch(/worker/);
    expect(retryAfterOf(missing)).toBe(5);
  });

  it('a text search configuration not created yet (42704, the help search before its first table) is the same 503', () => {
    const missing = new DatabaseError('text search configuration "help_fr_v1" does not exist', 0, 'error');
    missing.code = '42704';
    expect(toProblem(missing)).toMatchObject({ status: 503, code: 'READ_MODEL.NOT_READY', retriable: true });
    expect(retryAfterOf(missing)).toBe(5);
    // another undefined object (a type, a function) stays a 500
    const other = new DatabaseError('type "nope" does not exist', 0, 'error');
    other.code = '42704';
    expect(toProblem(other)).toMatchObject({ status: 500, code: 'INTERNAL' });
  });
});

describe('problem mapping of a help search the read model refuses', () => {
  it('HelpSearchInvalid is a 400 with its own code, not retriable', () => {
    const refused = new HelpSearchInvalid('language must be one of fr, en');
    expect(toProblem(refused)).toMatchObject({
      status: 400,
      title: 'Bad Request',
      code: 'HELP_SEARCH.INVALID',
      type: 'https://support-backend.dev/problems/help-search-invalid',
      detail: 'language must be one of fr, en',
    });
    expect(retryAfterOf(refused)).toBeUndefined();
  });
});
