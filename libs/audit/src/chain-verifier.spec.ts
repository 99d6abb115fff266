import { createHash } from 'node:crypto';
import {
  createEventStore,
  EVENT_STORE_COMPONENT,
  EVENT_STORE_MIGRATIONS,
  migrate,
  PgliteDatabase,
  SqlEventStore,
  type EventStoreHandle,
} from '@app/event-store';
import { AUDIT_CHECKPOINT_STREAM, takeAuditCheckpoint } from './audit-checkpoint';
import { verifyHashChains } from './chain-verifier';
import { verifiesTampering } from './testing/tampering.scenarios';

// the scenarios every adapter must pass (the PostgreSQL run is chain-verifier.int-spec.ts)
verifiesTampering('PGlite (in memory)', async () => {
  const handle = await createEventStore();
  return { ...handle, close: () => handle.store.close() };
});

describe('verifyHashChains on PGlite only', () => {
  let handle: EventStoreHandle;
  beforeEach(async () => {
    handle = await createEventStore();
  });
  afterEach(() => handle.store.close());

  it('answers the same, first break included, whatever the batch size', async () => {
    const { store, db } = handle;
    for (const s of ['a', 'b', 'c'])
      await store.appendToStream(
        `s-${s}`,
        [1, 2, 3].map((n) => ({ type: 'T', data: n })),
        'no-stream',
      );
    await db.query(`UPDATE events SET data = '99' WHERE stream_id = 's-b' AND stream_version = 2`);
    const big = await verifyHashChains(db);
    const small = await verifyHashChains(db, { batchSize: 2 });
    const strip = ({ durationMs: _d, ...rest }: typeof big) => rest;
    expect(strip(small)).toEqual(strip(big));
    expect(big.firstBreak).toMatchObject({ kind: 'altered', streamId: 's-b', version: 2 });
    expect(big.events).toBe(9);
  });

  it('reports at most maxBreaks breaks, says there were more, and walks one stream when asked', async () => {
    const { store, db } = handle;
    for (let s = 0; s < 5; s += 1) await store.appendToStream(`s-${s}`, [{ type: 'T', data: s }], 'no-stream');
    await db.query(`UPDATE events SET data = '"x"'`);
    const report = await verifyHashChains(db, { maxBreaks: 2 });
    expect(report).toMatchObject({ ok: false, moreBreaks: true, streams: 5 });
    expect(report.breaks.map((b) => b.streamId)).toEqual(['s-0', 's-1']);
    const one = await verifyHashChains(db, { streamId: 's-3' });
    expect(one).toMatchObject({ ok: false, streamId: 's-3', streams: 1, events: 1, checkpoint: null });
    expect(one.firstBreak).toMatchObject({ streamId: 's-3', version: 1 });
  });

  it('accepts events written before the chain existed, and refuses a hash erased afterwards', async () => {
    // a store at migration 0001 holds rows without hashes; then 0002 arrives and appends chain on
    const db = await PgliteDatabase.open();
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS.slice(0, 1) });
    await db.query(`INSERT INTO events (stream_id, stream_version, event_id, event_type, data)
      VALUES ('old', 1, gen_random_uuid(), 'T', '1'), ('old', 2, gen_random_uuid(), 'T', '2')`);
    await migrate(db, { component: EVENT_STORE_COMPONENT, migrations: EVENT_STORE_MIGRATIONS });
    const store = new SqlEventStore(db, { ownsDatabase: true });
    try {
      await store.appendToStream('old', [{ type: 'T', data: 3 }], 2);
      await store.appendToStream('new', [{ type: 'T', data: 1 }], 'no-stream');
      expect(await verifyHashChains(db)).toMatchObject({ ok: true, events: 4, unchained: 2, streams: 2 });

      await db.query(`UPDATE events SET hash = NULL WHERE stream_id = 'new'`);
      const report = await verifyHashChains(db);
      expect(report.ok).toBe(false);
      expect(report.firstBreak).toMatchObject({ kind: 'unhashed', streamId: 'new', version: 1, foundHash: null });
    } finally {
      await store.close();
    }
  });

  it('checks the latest checkpoint: its digest is SHA-256 over the heads of all chains, in bytewise stream order', async () => {
    const { store, db } = handle;
    // ids whose order differs between bytewise and locale-aware comparison
    for (const id of ['b', 'B', 'a', 'é', 'Z'])
      await store.appendToStream(
        id,
        [
          { type: 'T', data: id },
          { type: 'T', data: 2 },
        ],
        'no-stream',
      );
    const taken = await takeAuditCheckpoint(store, db, { now: new Date('2026-03-02T10:00:00Z') });
    expect(taken.taken).toBe(true);
    const { rows } = await db.query<{ stream_id: string; hash: Uint8Array }>(
      `SELECT stream_id, hash FROM events WHERE stream_version = 2 AND stream_id <> $1`,
      [AUDIT_CHECKPOINT_STREAM],
    );
    const bytewise = [...rows].sort((x, y) => Buffer.compare(Buffer.from(x.stream_id), Buffer.from(y.stream_id)));
    const digest = createHash('sha256');
    for (const row of bytewise) digest.update(row.hash);
    expect(taken.checkpoint).toMatchObject({ streams: 5, events: 10, headsDigest: digest.digest('hex') });

    const report = await verifyHashChains(db);
    expect(report.ok).toBe(true);
    expect(report.checkpoint).toMatchObject({
      matches: true,
      recorded: { streams: 5, events: 10 },
      found: { streams: 5, events: 10 },
    });
  });
});
