import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CLOCK, ManualClock } from '@app/clock';
import { EventStoreModule } from './event-store.module';
import type { EventStore } from './event-store.port';
import { EVENT_STORE, SQL_DATABASE } from './event-store.tokens';
import type { SqlDatabase } from './sql-database.port';

const OPTIONS = Symbol('OPTIONS');

@Module({ providers: [{ provide: OPTIONS, useValue: {} }], exports: [OPTIONS] })
class OptionsModule {}

describe('EventStoreModule', () => {
  it('binds the store and its database from async options, migrated, and closes them on shutdown', async () => {
    const factory = jest.fn((options: object) => ({ ...options }));
    const moduleRef = await Test.createTestingModule({
      imports: [EventStoreModule.forRootAsync({ imports: [OptionsModule], inject: [OPTIONS], useFactory: factory })],
    }).compile();
    const app = await moduleRef.init();
    expect(factory).toHaveBeenCalledWith({});

    const store = app.get<EventStore>(EVENT_STORE);
    const db = app.get<SqlDatabase>(SQL_DATABASE);
    expect(db.kind).toBe('pglite');
    await expect(store.ping()).resolves.toBeUndefined();
    await store.appendToStream('case-1', [{ type: 'Opened', data: {} }], 'no-stream');
    expect((await db.query('SELECT stream_id FROM events')).rows).toEqual([{ stream_id: 'case-1' }]);

    await app.close();
    await expect(db.query('SELECT 1')).rejects.toThrow();
  });

  it("records events at the time of the app's clock when the app provides one", async () => {
    const clock = new ManualClock('2026-03-02T09:15:00.123Z');
    @Module({ providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] })
    class ClockModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [ClockModule, EventStoreModule.forRootAsync({ imports: [ClockModule], useFactory: () => ({}) })],
    }).compile();
    const app = await moduleRef.init();
    try {
      const store = app.get<EventStore>(EVENT_STORE);
      await store.appendToStream('case-1', [{ type: 'Opened', data: {} }], 'no-stream');
      clock.advance(60_000);
      await store.appendToStream('case-1', [{ type: 'Closed', data: {} }], 1);
      const { events } = await store.readStream('case-1');
      expect(events.map((e) => e.recordedAt.toISOString())).toEqual([
        '2026-03-02T09:15:00.123Z',
        '2026-03-02T09:16:00.123Z',
      ]);
    } finally {
      await app.close();
    }
  });
});
