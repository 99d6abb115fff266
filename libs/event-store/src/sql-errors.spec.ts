import { DatabaseError } from 'pg';
import { TransactionConnectionLost } from './postgres/pg-database';
import { isConnectionLoss } from './sql-errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const sqlState = (code: string, message = 'server said so') => {
  const e = new DatabaseError(message, 0, 'error');
  e.code = code;
  return e;
};

describe('isConnectionLoss', () => {
  it.each([
    [
      'pg_terminate_backend (57P01 admin_shutdown)',
      sqlState('57P01', 'terminating connection due to administrator command'),
    ],
    ['a crash shutdown (57P02)', sqlState('57P02')],
    ['a server starting up (57P03 cannot_connect_now)', sqlState('57P03')],
    ['too many connections (53300)', sqlState('53300')],
    ['a connection exception (08006)', sqlState('08006')],
    ['a connection failure at start (08001)', sqlState('08001')],
    ['ECONNRESET', withCode('read ECONNRESET', 'ECONNRESET')],
    ['ECONNREFUSED', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['EPIPE', withCode('write EPIPE', 'EPIPE')],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    [
      'pg: Connection terminated due to connection timeout',
      new Error('Connection terminated due to connection timeout'),
    ],
    ['pg-pool: timeout exceeded when trying to connect', new Error('timeout exceeded when trying to connect')],
    [
      'pg: a client that saw its connection die',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'the store: TransactionConnectionLost',
      new TransactionConnectionLost(new Error('Connection terminated unexpectedly')),
    ],
    ['a wrapper whose cause is one', new Error('could not read the case', { cause: sqlState('57P01') })],
  ])('recognises %s', (_what, error) => {
    expect(isConnectionLoss(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', sqlState('23505')],
    ['a syntax error (42601)', sqlState('42601')],
    ['a query cancelled by statement_timeout (57014)', sqlState('57014')],
    [
      'a server error whose words mention a terminated connection',
      sqlState('XX000', 'connection terminated by a rule'),
    ],
    ['an ordinary error', new Error('the view failed after the commit')],
    ['a non-error', 'Connection terminated unexpectedly'],
    ['undefined', undefined],
  ])('does not take %s for one', (_what, error) => {
    expect(isConnectionLoss(error)).toBe(false);
  });
});
