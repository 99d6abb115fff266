/**
 * One relay at a time (relay-leadership.ts), on PGlite with `leadership: 'lease'`: two
 * relays in one process stand for two worker processes over one store. The same behaviour
 * over PostgreSQL, with separate pools and a real broker, is in relay-leadership.int-spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStoreHandle, type RecordedEvent } from '@app/event-store';
import { Metrics, sampleValue } from '@app/observability';
import { testGates, waitFor } from '@app/testing';
import type { CaseEventEnvelope } from '../case-events/case-event-envelope';
import type { TopicMessages } from '../message-publisher.port';
import { hmacPseudonymiser } from '../pseudonymiser';
import { InMemoryPublisher } from '../testing/in-memory-publisher';
import { caseTopics, relayTopicNames } from '../topics';
import { EventRelay, KAFKA_RELAY_NAME, type EventRelayOptions } from './event-relay';
import { relayLeaseHolder } from './relay-leadership';

const topics = caseTopics('unit');
const pseudonymise = hmacPseudonymiser('unit-test-secret-of-32-characters!');

/** A publisher whose sends wait at `hold` while it is set: a leader stalled in the middle of a send. */
class HeldPublisher extends InMemoryPublisher {
  hold?: Promise<void>;
  calls = 0;
  override async publish(batches: readonly TopicMessages[]): Promise<void> {
    this.calls += 1;
    await this.hold;
    return super.publish(batches);
  }
}

describe('EventRelay leadership: one relay publishes, the others stand by (PGlite, lease)', () => {
  let handle: EventStoreHandle;
  const relays: EventRelay[] = [];
  const g = testGates();

  const relay = (publisher: InMemoryPublisher, options: Partial<EventRelayOptions> = {}) => {
    const r = new EventRelay(handle.store, handle.db, publisher, pseudonymise, {
      topics,
      partitions: 3,
      leadership: 'lease',
      lease: { durationMs: 1_000, standbyPollMs: 10 },
      ...options,
    });
    relays.push(r);
    return r;
  };
  const append = async (count: number) => {
    for (let i = 0; i < count; i += 1) {
      const caseId = randomUUID();
      await handle.store.appendToStream(
        `case-${caseId}`,
        [{ type: 'CustomerReplied', data: { caseId, at: '2026-03-02T09:30:00.000Z', byId: 'a', endsWait: false } }],
        'no-stream',
      );
    }
  };
  const allEvents = async (): Promise<RecordedEvent[]> => (await handle.store.readAll({ limit: 100_000 })).events;
  const publishedIds = (...publishers: InMemoryPublisher[]) =>
    publishers.flatMap((p) => p.on(topics.caseEvents).map((m) => (JSON.parse(m.value) as CaseEventEnvelope).eventId));
  const savedPosition = async () =>
    Number(
      (
        await handle.db.query<{ global_position: string }>(
          "SELECT global_position FROM checkpoints WHERE component = 'messaging' AND name = $1",
          [KAFKA_RELAY_NAME],
        )
      ).rows[0]?.global_position ?? 0,
    );
  const lastPosition = async () => (await allEvents()).at(-1)!.globalPosition;
  const describeAll = () => relays.map((r) => `${r.owner}: ${JSON.stringify(r.status())}`).join('\n');

  beforeEach(async () => {
    handle = await createEventStore();
  });
  afterEach(async () => {
    g.openAll();
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await handle.store.close();
  });

  it('of two relays over one store, one leads and publishes each event once; the other stands by', async () => {
    const [pa, pb] = [new InMemoryPublisher(), new InMemoryPublisher()];
    const [a, b] = [relay(pa), relay(pb)];
    await Promise.all([a.start(), b.start()]);
    await append(30);
    await waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);

    const leaders = [a, b].filter((r) => r.status().leader);
    expect(leaders).toHaveLength(1);
    const standby = leaders[0] === a ? b : a;
    expect(standby.status()).toMatchObject({ state: 'standby', leader: false, publishedEvents: 0 });
    expect((await relayLeaseHolder(handle.db, KAFKA_RELAY_NAME))?.owner).toBe(leaders[0].owner);
    expect(publishedIds(pa, pb).sort()).toEqual((await allEvents()).map((e) => e.eventId).sort());
  });

  it('a stopped leader gives the lease up: the standby takes over at once, from the shared checkpoint', async () => {
    const [pa, pb] = [new InMemoryPublisher(), new InMemoryPublisher()];
    const a = relay(pa, { lease: { durationMs: 60_000, standbyPollMs: 10 } });
    await a.start();
    await waitFor(() => a.status().leader, describeAll);
    const b = relay(pb, { lease: { durationMs: 60_000, standbyPollMs: 10 } });
    await b.start();
    await waitFor(() => b.status().state === 'standby', describeAll);
    await append(10);
    await waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);

    const stoppedAt = Date.now();
    await a.stop();
    await waitFor(() => b.status().leader, describeAll);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000); // well inside the 60 s lease: it was given up
    await append(10);
    await waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);
    expect(pa.on(topics.caseEvents)).toHaveLength(10);
    expect(pb.on(topics.caseEvents)).toHaveLength(10);
    expect(publishedIds(pa, pb).sort()).toEqual((await allEvents()).map((e) => e.eventId).sort());
  });

  it('a lease left by a relay that died keeps the standbys waiting until it expires, then one takes over', async () => {
    await append(5);
    const ghost = relay(new InMemoryPublisher());
    await ghost.start(); // migrates
    await waitFor(() => ghost.status().leader, describeAll);
    await ghost.stop();
    // what a killed process leaves: its lease, unexpired, and nobody renewing it
    const diedAt = Date.now();
    await handle.db.query(
      `INSERT INTO leases (component, name, owner, expires_at)
       VALUES ('messaging', $1, 'dead-host:1:abc', now() + interval '700 milliseconds')`,
      [KAFKA_RELAY_NAME],
    );
    await append(5);
    const publisher = new InMemoryPublisher();
    const survivor = relay(publisher);
    await survivor.start();
    await waitFor(() => survivor.status().state === 'standby', describeAll);
    await waitFor(() => survivor.status().leader, describeAll);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(650); // not before the lease expired
    await waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);
    expect(publisher.on(topics.caseEvents)).toHaveLength(5); // from the shared checkpoint: nothing lost, nothing again
  });

  it('a leader whose lease was taken over saves no checkpoint: its commit rolls back and it stands by', async () => {
    const [pa, pb] = [new HeldPublisher(), new InMemoryPublisher()];
    // a long lease: a's heartbeat does not notice before its commit does (the fence is what is tested)
    const a = relay(pa, { lease: { durationMs: 60_000, standbyPollMs: 10 } });
    await a.start();
    await waitFor(() => a.status().leader, describeAll);
    await waitFor(() => pa.topics.size === relayTopicNames(topics).length, describeAll);
    const stalled = g.gate();
    pa.hold = stalled.opened; // a's next send hangs, as a leader paused in the middle of a batch
    await append(3);
    await waitFor(() => pa.calls === 1, describeAll);

    // meanwhile its lease runs out and another relay takes it (as after a long pause)
    const b = relay(pb);
    await handle.db.query(`UPDATE leases SET owner = $2 WHERE component = 'messaging' AND name = $1`, [
      KAFKA_RELAY_NAME,
      b.owner,
    ]);
    await b.start();
    await waitFor(() => b.status().leader, describeAll);
    await waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);
    await append(2);
    await waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);
    const movedByB = await savedPosition();

    stalled.open(); // a's send goes through; its checkpoint must not
    await waitFor(() => !a.status().leader, describeAll);
    expect(a.status().publishedEvents).toBe(0); // counted only once saved: it saved nothing
    expect(pa.attempts).toHaveLength(1); // the stalled send went out, and nothing after it
    expect(await savedPosition()).toBe(movedByB);
    expect((await relayLeaseHolder(handle.db, KAFKA_RELAY_NAME))?.owner).toBe(b.owner);
    // b published everything; a's stalled batch went out twice (at-least-once)
    expect(pb.on(topics.caseEvents)).toHaveLength(5);
  });

  it('on PGlite it leads at once by default, without a lease row (one process, nothing to stand by for)', async () => {
    const publisher = new InMemoryPublisher();
    const single = relay(publisher, { leadership: undefined });
    await single.start();
    await append(2);
    await waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);
    expect(single.status().leader).toBe(true);
    expect((await handle.db.query("SELECT * FROM leases WHERE component = 'messaging'")).rows).toEqual([]);
  });

  it('keeps the kafka_relay_* metrics: leader, published events, last position, lag, errors', async () => {
    const metrics = new Metrics({ service: 'worker', defaultMetrics: false });
    const publisher = new InMemoryPublisher();
    const r = relay(publisher, { metrics, backoff: { initialMs: 5, maxMs: 10 } });
    const labels = { relay: KAFKA_RELAY_NAME };
    const scrape = async (name: string) => sampleValue(await metrics.render(), name, labels);

    publisher.down = true;
    await r.start();
    await append(4);
    await waitFor(() => r.status().consecutiveFailures >= 2, describeAll);
    expect(await scrape('kafka_relay_lag_events')).toBe(4);
    expect(await scrape('kafka_relay_published_events_total')).toBe(0);
    expect(await scrape('kafka_relay_errors_total')).toBeGreaterThanOrEqual(2);
    expect(await scrape('kafka_relay_leader')).toBe(1);

    publisher.down = false;
    await waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);
    expect(await scrape('kafka_relay_lag_events')).toBe(0);
    expect(await scrape('kafka_relay_published_events_total')).toBe(4);
    expect(await scrape('kafka_relay_last_published_position')).toBe(await lastPosition());

    await r.stop();
    expect(await scrape('kafka_relay_leader')).toBe(0);
  });
});
