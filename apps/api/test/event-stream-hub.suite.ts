import { parsePrincipal, type Principal } from '@app/auth';
import type { CaseEvent } from '@app/case-domain';
import { LOG_START, type EventStore, type EventStoreHandle } from '@app/event-store';
import { ProjectionRegistry } from '@app/projections';
import { testGates, waitFor } from '@app/testing';
import { customer, noted, opened, routed, system } from '@app/case-domain/testing';
import { EventStreamHub } from '../src/events-stream/event-stream.hub';
import { SseConnection, type SseSink } from '../src/events-stream/sse-connection';

/** a client's end of a connection: the frames it read; `reading: false` is a client that never reads */
class Client implements SseSink {
  readonly events: { id?: string; event: string; data: { position: number; caseId?: string; type?: string } }[] = [];
  readonly comments: string[] = [];
  private unread = 0;
  ended = false;
  destroyed = false;

  /** `reading: false` never reads; `slow` reads what it is sent only when `drain()` is called */
  constructor(
    private readonly reading = true,
    private readonly slow = false,
  ) {}

  get writableLength(): number {
    return this.unread;
  }

  write(chunk: string): boolean {
    if (!this.reading) {
      this.unread += Buffer.byteLength(chunk);
      return false;
    }
    if (this.slow) this.unread += Buffer.byteLength(chunk);
    for (const frame of chunk.split('\n\n').filter(Boolean)) {
      if (frame.startsWith(': ')) {
        this.comments.push(frame.slice(2));
        continue;
      }
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      this.events.push({ id, event, data: JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null') });
    }
    return true;
  }

  private readonly drainListeners = new Set<() => void>();

  /** the client reads what waits for it */
  drain(): void {
    this.unread = 0;
    for (const listener of [...this.drainListeners]) listener();
  }

  once(_event: 'drain', listener: () => void): void {
    this.drainListeners.add(listener);
  }

  removeListener(_event: 'drain', listener: () => void): void {
    this.drainListeners.delete(listener);
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  positions(): number[] {
    return this.events.filter((e) => e.event === 'case-event').map((e) => e.data.position);
  }
}

const supervisor = parsePrincipal({ role: 'supervisor', sub: 'sam', email: 'sam@desk.example' });
const northAgent = parsePrincipal({
  role: 'agent',
  sub: 'eve',
  email: 'eve@north.example',
  vendor: 'north-desk',
  languages: ['fr'],
  regions: ['emea'],
});
const southAgent = parsePrincipal({
  role: 'agent',
  sub: 'ana',
  email: 'ana@south.example',
  vendor: 'south-desk',
  languages: ['fr'],
  regions: ['emea'],
});
const acmeAdmin = parsePrincipal({
  role: 'support-admin',
  sub: 'admin-1',
  email: 'admin@acme.example',
  org: 'acme.example',
  privileges: ['support'],
});

const OPTIONS = { keepAliveMs: 60_000, maxBufferedBytes: 4_000 };

/** The store, but its follower awaits `beforeEach` before it hands over each batch it read. */
const heldFollower = (store: EventStore, beforeEach: () => Promise<unknown>): EventStore => {
  const follow: EventStore['follow'] = (options) =>
    (async function* () {
      for await (const batch of store.follow(options)) {
        await beforeEach();
        yield batch;
      }
    })();
  return new Proxy(store, {
    get: (target, name) => {
      if (name === 'follow') return follow;
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
};

/** An event store to run the hub over, and how to close it (and its database). */
export interface HubStoreFixture {
  readonly handle: EventStoreHandle;
  close(): Promise<void>;
}

/**
 * The hub over a real store (`openStore`: a fresh one for each test): many clients of every
 * kind, a client that never reads, resuming while appends go on, a client that read past the
 * batch the hub holds, a slow resuming client, shutdown. Run on PGlite (event-stream.hub.spec.ts)
 * and PostgreSQL (event-stream.hub.int-spec.ts).
 */
export const eventStreamHubSuite = (adapter: string, openStore: () => Promise<HubStoreFixture>): void =>
  describe(`EventStreamHub over ${adapter}`, () => {
    let fixture: HubStoreFixture;
    let handle: EventStoreHandle;
    let hub: EventStreamHub;
    const connect = async (
      principal: Principal,
      client = new Client(),
      after?: Parameters<EventStreamHub['subscribe']>[2],
    ) => {
      const connection = new SseConnection(client, OPTIONS);
      await hub.subscribe(principal, connection, after);
      return { client, connection };
    };
    /** a case opened() and routed in one append (as the command door does), then `notes` internal notes */
    const caseWithNotes = async (id: string, notes: number) => {
      const stream = `case-${id}`;
      const data = (event: CaseEvent) => ({ ...(event.data as object), caseId: id });
      await handle.store.appendToStream(
        stream,
        [
          {
            type: 'Opened',
            data: { ...data(opened()), tenant: 'acme.example' },
            metadata: { actor: customer, tenant: 'acme.example' },
          },
          { type: 'Routed', data: data(routed('north-desk')), metadata: { actor: system, tenant: 'acme.example' } },
        ],
        'no-stream',
      );
      for (let i = 0; i < notes; i++) {
        const note = noted(`note ${i} ${'x'.repeat(200)}`);
        await handle.store.appendToStream(
          stream,
          [
            {
              type: note.type,
              data: data(note),
              metadata: { actor: { id: 'sam', role: 'supervisor' }, tenant: 'acme.example' },
            },
          ],
          2 + i,
        );
      }
    };

    beforeEach(async () => {
      fixture = await openStore();
      handle = fixture.handle;
      // no read model to wait for: a progress follows each batch sent
      hub = new EventStreamHub(handle.store, new ProjectionRegistry([]), { catchUpBatch: 7 });
    });
    afterEach(async () => {
      await hub.onApplicationShutdown();
      await fixture.close();
    });

    it('fans every batch out to many clients, each its own cases (R3, R4), as its audience sees them', async () => {
      const clients = await Promise.all([
        ...Array.from({ length: 60 }, () => connect(supervisor)),
        ...Array.from({ length: 60 }, () => connect(northAgent)),
        ...Array.from({ length: 60 }, () => connect(southAgent)),
        ...Array.from({ length: 60 }, () => connect(acmeAdmin)),
      ]);
      expect(hub.subscribers).toBe(240);
      await caseWithNotes('c1', 3);
      const [sup, north, south, admin] = [0, 60, 120, 180].map((i) => clients[i].client);
      await waitFor(
        () =>
          clients.every(
            ({ client }, i) =>
              (i >= 120 && i < 180) || client.positions().includes(5) || (i >= 180 && client.positions().includes(2)),
          ),
        () => `supervisor ${sup.positions()}, admin ${admin.positions()}`,
      );
      expect(sup.positions()).toEqual([1, 2, 3, 4, 5]);
      expect(north.positions()).toEqual([1, 2, 3, 4, 5]);
      expect(admin.events.filter((e) => e.event === 'case-event').map((e) => e.data.type)).toEqual([
        'Opened',
        'Routed',
      ]);
      // every client of a kind got the same
      for (const [from, expected] of [
        [0, sup],
        [60, north],
        [180, admin],
      ] as const)
        for (const { client } of clients.slice(from, from + 60))
          expect(client.positions()).toEqual(expected.positions());
      expect(south.positions()).toEqual([]);
      // and a progress after its last event
      await waitFor(
        () => sup.events.some((e) => e.event === 'progress' && e.data.position === 5),
        () => JSON.stringify(sup.events.slice(-2)),
      );
    });

    it('cuts a client that does not read, and goes on serving the others', async () => {
      const { client: reader } = await connect(supervisor);
      const { client: stalled, connection } = await connect(supervisor, new Client(false));
      expect(hub.subscribers).toBe(2);
      await caseWithNotes('c2', 30);
      await waitFor(
        () => reader.positions().length === 32,
        () => `the reader has ${reader.positions().length} events`,
      );
      expect(connection.closeReason).toBe('slow-client');
      expect(stalled.destroyed).toBe(true);
      expect(hub.subscribers).toBe(1);
      expect(reader.positions()).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    });

    it('resumes a client after a place in the log while appends go on: every event once, in order', async () => {
      const { client: live } = await connect(supervisor);
      await caseWithNotes('c3', 10);
      // appends keep coming while the resuming client reads the log 7 events at a time
      const appending = (async () => {
        for (let n = 0; n < 8; n++) await caseWithNotes(`r${n}`, 4);
      })();
      const { client: resumed } = await connect(supervisor, new Client(), LOG_START);
      await appending;
      const total = 12 + 8 * 6;
      await waitFor(
        () => resumed.positions().length >= total && live.positions().length >= total,
        () => `resumed ${resumed.positions().length}, live ${live.positions().length} of ${total}`,
      );
      const all = Array.from({ length: total }, (_, i) => i + 1);
      expect(resumed.positions()).toEqual(all);
      expect(live.positions()).toEqual(all);
      expect(resumed.comments).toContain('live');
    });

    it('sends a resuming client the log at its own pace: it waits for the client to read instead of cutting it', async () => {
      await caseWithNotes('c6', 40);
      const slow = new Client(true, true);
      const connection = new SseConnection(slow, OPTIONS);
      const joining = hub.subscribe(supervisor, connection, LOG_START);
      // 42 events of about 300 bytes: far more than OPTIONS.maxBufferedBytes (4,000) in all
      while (!slow.comments.includes('live')) {
        await waitFor(
          () => slow.writableLength > OPTIONS.maxBufferedBytes / 2 || slow.comments.includes('live'),
          () => `${slow.positions().length} events, ${slow.writableLength} bytes unread`,
        );
        expect(connection.closed).toBe(false);
        slow.drain();
      }
      await joining;
      expect(slow.positions()).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
      expect(connection.closed).toBe(false);
    });

    it("reads a resuming client the log at its own pace even when the hub's place lags: not one live batch that cuts it", async () => {
      const gates = testGates();
      const gate = gates.gate();
      // the hub's follower holds every batch it reads until the gate opens: its place stays at the start
      const lagging = new EventStreamHub(
        heldFollower(handle.store, () => gate.opened),
        new ProjectionRegistry([]),
        { catchUpBatch: 7 },
      );
      try {
        // a client already live: the hub follows the log from its start
        await lagging.subscribe(supervisor, new SseConnection(new Client(), OPTIONS));
        await caseWithNotes('c7', 40);
        await waitFor(
          async () => (await handle.store.readAll({ after: LOG_START, limit: 100 })).events.length === 42,
          () => 'the log does not show the 42 events yet',
        );
        const slow = new Client(true, true);
        const connection = new SseConnection(slow, OPTIONS);
        const joining = lagging.subscribe(supervisor, connection, LOG_START);
        while (!slow.comments.includes('live')) {
          await waitFor(
            () =>
              slow.writableLength > OPTIONS.maxBufferedBytes / 2 || slow.comments.includes('live') || connection.closed,
            () => `${slow.positions().length} events, ${slow.writableLength} bytes unread`,
          );
          expect(connection.closed).toBe(false);
          slow.drain();
        }
        await joining;
        // the hub's batch of those 42 events finds the client past them: nothing twice, nothing cut
        gate.open();
        await caseWithNotes('c8', 0);
        await waitFor(
          () => slow.positions().length >= 44,
          () => `${slow.positions().length} events`,
        );
        expect(slow.positions()).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
        expect(connection.closed).toBe(false);
      } finally {
        gates.openAll();
        await lagging.onApplicationShutdown();
      }
    });

    it('a client that read the log ahead of the batch the hub is sending joins without being sent it twice', async () => {
      const gates = testGates();
      const gate = gates.gate();
      let hold = false;
      let holding = false;
      // the store, but the hub's follower is held on the gate after reading a batch (while `hold`)
      const store = heldFollower(handle.store, async () => {
        if (hold) {
          holding = true;
          await gate.opened;
        }
      });
      const held = new EventStreamHub(store, new ProjectionRegistry([]), { catchUpBatch: 7 });
      try {
        const live = new Client();
        await held.subscribe(supervisor, new SseConnection(live, OPTIONS));
        await caseWithNotes('c0', 0);
        await waitFor(
          () => live.positions().length === 2,
          () => `live ${live.positions()}`,
        );
        hold = true;
        await caseWithNotes('c4', 2);
        await waitFor(
          () => holding,
          () => 'the follower has not read the batch yet',
        );
        // the log shows all six to a reader (on a shared PostgreSQL server another database's
        // open transaction holds a fresh commit back from readAll a moment)
        await waitFor(
          async () => (await handle.store.readAll({ after: LOG_START })).events.length === 6,
          () => 'the log does not show the six events yet',
        );
        // the hub is at position 2, holding the batch after it; this client reads the log from
        // the start, past the hub (positions 1 to 6), and joins the live batches
        const resumed = new Client();
        await held.subscribe(supervisor, new SseConnection(resumed, OPTIONS), LOG_START);
        expect(resumed.comments).toContain('live');
        expect(resumed.positions()).toEqual([1, 2, 3, 4, 5, 6]);
        hold = false;
        gate.open();
        await waitFor(
          () => live.positions().length === 6,
          () => `live ${live.positions()}`,
        );
        await caseWithNotes('c5', 0);
        await waitFor(
          () => resumed.positions().length >= 8,
          () => `resumed ${resumed.positions()}`,
        );
        const all = [1, 2, 3, 4, 5, 6, 7, 8];
        expect(resumed.positions()).toEqual(all);
        expect(live.positions()).toEqual(all);
      } finally {
        gates.openAll();
        await held.onApplicationShutdown();
      }
    });

    it('ends every connection on shutdown, and refuses new ones after', async () => {
      const { client } = await connect(supervisor);
      await hub.beforeApplicationShutdown();
      expect(client.ended).toBe(true);
      const { connection } = await connect(supervisor);
      expect(connection.closeReason).toBe('shutdown');
      expect(hub.subscribers).toBe(0);
    });
  });
