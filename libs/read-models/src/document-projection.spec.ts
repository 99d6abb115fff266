import { createEventStore, type EventStoreHandle, type RecordedEvent } from '@app/event-store';
import { documentProjection, oneRowPerDocument } from './document-projection';
import { bigint, instant, integerOrNull, rowTable, text, textArray, textOrNull } from './row-table';

interface Counter {
  readonly id: string;
  readonly label: string;
  readonly owner: string | null;
  readonly total: number | null;
  readonly tags: readonly string[];
  readonly since: string;
  readonly version: number;
}

const COUNTERS = rowTable<Counter>({
  columns: {
    id: { type: text(), collate: 'C' },
    label: text(),
    owner: textOrNull(),
    total: integerOrNull(),
    tags: textArray(),
    since: instant(),
    version: bigint(),
  },
  key: ['id'],
  guard: 't.version < EXCLUDED.version',
  extra: (t) => `CREATE INDEX ${t}_since_idx ON ${t} (since);`,
});

const event = (streamId: string, streamVersion: number, type: string, data: object): RecordedEvent =>
  ({ streamId, streamVersion, type, data, eventId: `${streamId}#${streamVersion}` }) as unknown as RecordedEvent;

describe('rowTable and documentProjection', () => {
  let handle: EventStoreHandle;
  const table = 'counters_v1_g1';
  beforeAll(async () => {
    handle = await createEventStore();
    await handle.db.exec(COUNTERS.ddl(table));
  });
  afterAll(() => handle.store.close());

  it('derives the DDL from the column list: snake_case names, NOT NULL unless nullable, collations, the key, extras', () => {
    expect(COUNTERS.ddl('t1')).toBe(`
CREATE TABLE t1 (
  id text COLLATE "C" NOT NULL,
  label text NOT NULL,
  owner text,
  total integer,
  tags text[] NOT NULL,
  since timestamptz NOT NULL,
  version bigint NOT NULL,
  CONSTRAINT t1_pkey PRIMARY KEY (id)
);
CREATE INDEX t1_since_idx ON t1 (since);`);
    expect(COUNTERS.names).toBe('id, label, owner, total, tags, since, version');
  });

  it('writes rows with one upsert and reads them back as they were written; the guard keeps a newer row', async () => {
    const rows: Counter[] = [
      { id: 'a', label: 'A', owner: null, total: 3, tags: ['x', 'y'], since: '2026-03-02T09:00:00.000Z', version: 2 },
      { id: 'b', label: 'B', owner: 'ann', total: null, tags: [], since: '2026-03-02T10:00:00.000Z', version: 1 },
    ];
    await handle.db.transaction((tx) => COUNTERS.upsert(tx, table, rows));
    await handle.db.transaction((tx) => COUNTERS.upsert(tx, table, [{ ...rows[0], label: 'older', version: 1 }]));
    await handle.db.transaction((tx) => COUNTERS.upsert(tx, table, []));
    expect(await COUNTERS.selectByKey(handle.db, table, ['b', 'a', 'zz'])).toEqual(expect.arrayContaining(rows));
    const { rows: raw } = await handle.db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY id`);
    expect(raw.map(COUNTERS.read)).toEqual(rows);
    // a column a row lacks (an older table) reads as null when nullable
    expect(COUNTERS.read({ ...raw[0], owner: undefined })).toEqual(rows[0]);
  });

  describe('the loop', () => {
    const evolved: string[] = [];
    const projection = documentProjection<Counter, 'counters'>({
      name: 'counters',
      version: 1,
      handles: ['Started', 'Counted'],
      store: oneRowPerDocument('counters', COUNTERS, (c) => c.id),
      keyOf: (e) => (e.streamId.startsWith('counter-') ? e.streamId.slice('counter-'.length) : null),
      versionOf: (c) => c.version,
      evolve: (doc, e) => {
        evolved.push(`${e.streamId}#${e.streamVersion}`);
        const data = e.data as { label?: string; by?: number };
        if (e.type === 'Started')
          return {
            id: e.streamId.slice(8),
            label: data.label ?? '',
            owner: null,
            total: 0,
            tags: [],
            since: '2026-03-02T09:00:00.000Z',
            version: e.streamVersion,
          };
        if (!doc) return null;
        if (data.by === 0) return doc;
        return { ...doc, total: (doc.total ?? 0) + (data.by ?? 0), version: e.streamVersion };
      },
      refused: (key, e) => Object.assign(new Error(`no counter ${key}`), { event: e }),
    });
    const tables = { counters: 'counters_v1_g1' };
    const apply = (events: RecordedEvent[]) => handle.db.transaction((tx) => projection.applyBatch(tx, events, tables));

    beforeEach(() => evolved.splice(0));

    it('loads, folds in log order, skips what a document holds, writes the changed ones', async () => {
      await apply([
        event('counter-c', 1, 'Started', { label: 'C' }),
        event('other-c', 1, 'Started', { label: 'not mine' }),
        event('counter-c', 2, 'Counted', { by: 2 }),
        event('counter-d', 1, 'Started', { label: 'D' }),
        event('counter-c', 3, 'Counted', { by: 5 }),
      ]);
      expect(evolved).toEqual(['counter-c#1', 'counter-c#2', 'counter-d#1', 'counter-c#3']);
      // again, and an older one: held already, not folded
      await apply([event('counter-c', 2, 'Counted', { by: 2 }), event('counter-c', 3, 'Counted', { by: 5 })]);
      expect(evolved).toHaveLength(4);
      expect(await COUNTERS.selectByKey(handle.db, table, ['c', 'd'])).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'c', total: 7, version: 3 }),
          expect.objectContaining({ id: 'd', total: 0, version: 1 }),
        ]),
      );
    });

    it('refuses an event the fold cannot apply, naming it', async () => {
      const hole = event('counter-e', 2, 'Counted', { by: 1 });
      await expect(apply([event('counter-c', 4, 'Counted', { by: 1 }), hole])).rejects.toMatchObject({
        message: 'no counter e',
        event: hole,
      });
    });
  });
});
