import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
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
});
