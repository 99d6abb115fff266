const UNIQUE_VIOLATION = '23505';
const UNDEFINED_TABLE = '42P01';

/** The constraint a unique violation hit (pg and PGlite both report it), or undefined for any other error. */
export const uniqueViolation = (error: unknown): string | undefined => {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  if (code !== UNIQUE_VIOLATION) return undefined;
  return typeof constraint === 'string' ? constraint : 'unknown';
};

/**
 * Whether `error` is the server's "relation does not exist" (pg and PGlite both report it).
 * The store creates its own tables before it answers anything, so in a running app this is a
 * read model whose projection has not run yet (in PostgreSQL mode, before the worker's first
 * start).
 */
export const isUndefinedTable = (error: unknown): boolean => (error as { code?: unknown })?.code === UNDEFINED_TABLE;

/**
 * SQLSTATEs of a server that ended the session or cannot take one now: 57P01
 * admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, in recovery), 53300 too_many_connections. Class 08
 * (connection exceptions) is matched by its prefix.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of Node.js: the peer went, or cannot be reached. */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** What `pg` and `pg-pool` say, without a code, when a connection dies or cannot be had in time. */
const LOST_MESSAGES = [
  /connection terminated/i, // "Connection terminated unexpectedly", "… due to connection timeout"
  /timeout exceeded when trying to connect/i, // pg-pool's connectionTimeoutMillis
  /not queryable/i, // a client that already saw its connection die
  /server closed the connection unexpectedly/i,
];
/** How deep `cause` chains are followed. */
const MAX_CAUSES = 5;

/**
 * Whether `error` (or what caused it) says the database connection was lost or could not
 * be had: the server terminated the session, the network dropped, the pool timed out. A
 * retry on a new connection may succeed; a write caught by it may or may not have
 * committed (its COMMIT's answer was lost), so only a retry with the same idempotency key
 * (answered from the log) says which. The one classification of such faults: the HTTP
 * edge answers them 503 `STORE.UNAVAILABLE` (apps/api/src/http/problem-mapping.ts).
 */
export const isConnectionLoss = (error: unknown): boolean => {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSES && current instanceof Error; depth += 1) {
    const { code } = current as { code?: unknown };
    if (code === 'EVENT_STORE.CONNECTION_LOST') return true;
    if (
      typeof code === 'string' &&
      (UNAVAILABLE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || SOCKET_CODES.has(code))
    )
      return true;
    // a DatabaseError (it has a SQLSTATE) is the server's answer on a live connection, whatever its words
    const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
    if (!sqlState && LOST_MESSAGES.some((m) => m.test(current instanceof Error ? current.message : ''))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};
