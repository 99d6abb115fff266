import { AUDIT_CHECKPOINT_STREAM } from '@app/audit';
import { ManualClock } from '@app/clock';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { waitFor } from '@app/testing';
import { AuditCheckpointScheduler } from './audit-checkpoint.scheduler';

describe('AuditCheckpointScheduler', () => {
  let handle: EventStoreHandle;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const checkpoints = async () => (await handle.store.readStream(AUDIT_CHECKPOINT_STREAM)).events;

  beforeEach(async () => {
    handle = await createEventStore({ clock });
    await handle.store.appendToStream('case-1', [{ type: 'Opened', data: { n: 1 } }], 'no-stream');
  });
  afterEach(() => handle.store.close());

  it('takes a checkpoint every period once the app has started, none for an idle log, and stops at shutdown', async () => {
    const errors: unknown[] = [];
    const logger = { info: () => undefined, error: (o: unknown) => errors.push(o) } as never;
    const scheduler = new AuditCheckpointScheduler(handle.store, handle.db, clock, 10, logger);
    scheduler.onApplicationBootstrap();
    try {
      await waitFor(
        async () => (await checkpoints()).length === 1,
        () => 'a first checkpoint',
      );
      const [first] = await checkpoints();
      expect(first).toMatchObject({
        type: 'AuditCheckpointed',
        data: { at: '2026-03-02T09:00:00.000Z', streams: 1, events: 1 },
        metadata: { actor: { id: 'system:audit-checkpoints', role: 'system' } },
      });
      // idle: later periods find nothing new but the checkpoint itself
      await scheduler.tick();
      expect(await checkpoints()).toHaveLength(1);
      await handle.store.appendToStream('case-1', [{ type: 'Closed', data: {} }], 1);
      await waitFor(
        async () => (await checkpoints()).length === 2,
        () => 'a second checkpoint after a new event',
      );
    } finally {
      await scheduler.onApplicationShutdown();
    }
    await handle.store.appendToStream('case-1', [{ type: 'Reopened', data: {} }], 2);
    expect(await scheduler.tick().then(checkpoints)).toHaveLength(3); // a manual tick still works
    expect(errors).toEqual([]);
  });

  it('logs a failure and keeps going', async () => {
    const errors: unknown[] = [];
    const logger = { info: () => undefined, error: (o: unknown) => errors.push(o) } as never;
    const broken = { ...handle.db, query: () => Promise.reject(new Error('database down')) } as never;
    const scheduler = new AuditCheckpointScheduler(handle.store, broken, clock, 0, logger);
    scheduler.onApplicationBootstrap(); // period 0: no timer
    await scheduler.tick();
    expect(errors).toEqual([{ err: expect.objectContaining({ message: 'database down' }) }]);
    await scheduler.onApplicationShutdown();
  });
});
