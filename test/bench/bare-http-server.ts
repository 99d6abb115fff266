/**
 * The bare ceiling of `npm run bench:http` (http.bench.ts starts it as a child process, as
 * the API runs in its own process): Fastify with no plugin, no logger and no auth, and a
 * `pg` Pool of POOL_SIZE connections (the bench passes the API's pool size) to
 * DATABASE_URL, a fresh database the bench migrated with the event store's migrations.
 *
 *   POST /events   parses the JSON body (the bench sends the API's open-case request) and
 *                  INSERTs one event row of the store's shape: an `Opened` at version 1 of a
 *                  new stream, the body with the case id, time and requester as data, the
 *                  actor as metadata, a recorded time and a 32-byte hash (a fixed one, as in
 *                  bench:append: computing it is the store's cost). Answers 201 {"id":…}.
 *   GET /health    200 once the pool reaches the database.
 *
 * Listens on HOST:PORT; ends on SIGTERM or SIGINT.
 */
import { createHash, randomUUID } from 'node:crypto';
import { fastify } from 'fastify';
import { Pool } from 'pg';

const DATABASE_URL = process.env.DATABASE_URL;
const PORT = Number(process.env.PORT);
const HOST = process.env.HOST ?? '127.0.0.1';
const POOL_SIZE = Number(process.env.POOL_SIZE ?? 10);

const INSERT = `INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata,
  recorded_at, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
const HASH = createHash('sha256').update('bench').digest();
/** the caller the API would take from the token; the bare route has no auth */
const ADMIN = { id: 'ana@acme.example', email: 'ana@acme.example', org: 'acme.example' };

const main = async () => {
  if (!DATABASE_URL || !Number.isInteger(PORT) || PORT < 1) {
    throw new Error('bare-http-server needs DATABASE_URL and PORT (it is started by http.bench.js)');
  }
  const pool = new Pool({ connectionString: DATABASE_URL, max: POOL_SIZE });
  pool.on('error', (error) => console.error(`bare-http-server: idle pool connection failed: ${error.message}`));
  const app = fastify();

  app.get('/health', async () => {
    await pool.query('SELECT 1');
    return { status: 'ok' };
  });

  app.post('/events', async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({ error: 'a JSON object is expected' });
    }
    const caseId = randomUUID();
    const at = new Date().toISOString();
    await pool.query(INSERT, [
      `case-${caseId}`,
      1,
      randomUUID(),
      'Opened',
      1,
      { caseId, at, byId: ADMIN.id, tenant: ADMIN.org, requester: { id: ADMIN.id, email: ADMIN.email }, ...body },
      {
        actor: { id: ADMIN.id, role: 'support-admin', org: ADMIN.org },
        tenant: ADMIN.org,
        correlationId: randomUUID(),
      },
      at,
      HASH,
    ]);
    return reply.code(201).send({ id: caseId });
  });

  await app.listen({ port: PORT, host: HOST });
  const stop = () => {
    void app
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
