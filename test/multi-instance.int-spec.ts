/**
 * Several instances, still correct (issue 16): two API processes and two workers, real child
 * processes on a build of this run's own, on one fresh PostgreSQL database and one broker
 * (topics of a prefix of their own). Cases are driven through both APIs alternately; the
 * worker that leads the Kafka relay is killed with SIGKILL halfway. Then:
 *   - every timer fired exactly once: a first-response breach for each case left unanswered
 *     (a 24/7 test calendar and a first-response target of about 20 s), never two for one
 *     cycle; one SurveySent per resolved case (SURVEY_DELAY 2s), one survey_mails row, one
 *     survey e-mail (.eml) across both workers' outboxes;
 *   - one relay published at a time (the workers' kafka_relay_leader gauges, sampled), and
 *     every case event is on Kafka, once by event id; a copy only of what the killed leader
 *     had sent without moving the checkpoint (docs/kafka.md: at-least-once on a crash);
 *   - each projection ends equal to a rebuild from the log (rows compared);
 *   - both APIs answer read-your-writes: a write on one, `?after=` its position on the other:
 *     an answer that says it caught up (x-read-model-caught-up) includes the write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { issueLocalToken } from '@app/auth';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { NEVER_PUBLISHED_CASE_EVENT_TYPES } from '@app/messaging';
import { TopicReader, deleteTopicsAndGroups } from '../libs/messaging/src/testing/kafka-test-kit';
import { ProjectionRunner, type Projection } from '@app/projections';
import { SlaService } from '@app/sla';
import {
  createTestDatabase,
  DESK_ADMIN,
  DESK_AGENT,
  describeWithService,
  freePort,
  OPEN_CASE_REQUEST,
  ownBuild,
  waitFor,
  type OwnBuild,
  type TestDatabase,
} from '@app/testing';
import { allProjections } from '../libs/workers/src/projections';

const ROOT = join(__dirname, '..');
const HOST = '127.0.0.1';
/**
 * cases driven (about 4.7 commands each); a third left unanswered (breach), the others
 * answered and resolved (survey). 100 keeps the suite near a minute and a half on the loaded
 * 2-core CI machine; MULTI_INSTANCE_CASES=300 is the larger run docs/scaling.md quotes
 */
const CASES = Number(process.env.MULTI_INSTANCE_CASES ?? 100);
/** case flows in flight at a time */
const FLOWS = 8;
const AUTH_SECRET = `multi-instance-${randomUUID()}`;
const PSEUDONYM_SECRET = `multi-instance-pseudonyms-${randomUUID()}`;
/** about 21.6 s on a calendar whose business day is 24 h */
const FIRST_RESPONSE_DAYS = 0.00025;

interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly dataDir: string;
  output: string;
  exit?: string;
}

describeWithService('DATABASE_URL', 'PostgreSQL', 'two APIs and two workers on PostgreSQL', (serverUrl) =>
  describeWithService('KAFKA_BROKERS', 'a Kafka broker', 'two APIs and two workers with Kafka', (brokers) => {
    const children: Child[] = [];
    const prefix = `mi-${randomUUID().slice(0, 8)}`;
    const topic = `${prefix}.case-events.v1`;
    let work: string;
    let build: OwnBuild | undefined;
    let buildDir: string;
    let database: TestDatabase;
    let handle: EventStoreHandle;
    let kafka: Kafka;
    let reader: TopicReader | undefined;
    const apis: string[] = [];
    const workers: { child: Child; metricsUrl: string }[] = [];

    const start = (name: string, script: string, env: Record<string, string>): Child => {
      const dataDir = join(work, name);
      mkdirSync(dataDir, { recursive: true });
      const child: Child = {
        name,
        dataDir,
        output: '',
        process: spawn(process.execPath, [join(buildDir, script)], {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            NODE_ENV: 'production',
            NODE_NO_WARNINGS: '1',
            DATA_DIR: dataDir,
            ...env,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      };
      // the last 200 lines, for a failure message
      const keep = (data: Buffer) =>
        (child.output = (child.output + data.toString()).split('\n').slice(-200).join('\n'));
      child.process.stdout!.on('data', keep);
      child.process.stderr!.on('data', keep);
      child.process.once('exit', (code, signal) => (child.exit = signal ? `signal ${signal}` : `code ${code}`));
      children.push(child);
      return child;
    };
    const outputs = () =>
      children.map((c) => `--- ${c.name} (${c.exit ?? 'running'}) ---\n${c.output.slice(-3000)}`).join('\n');

    const stop = async (child: Child, signal: NodeJS.Signals) => {
      if (child.exit !== undefined) return;
      const gone = new Promise((resolve) => child.process.once('exit', resolve));
      child.process.kill(signal);
      await gone;
    };

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'multi-instance-'));
      build = await ownBuild('multi-instance');
      buildDir = build.dir;
      // the shipped calendars plus one open around the clock, which every region uses: a
      // first response is due about 20 s after the opening, whatever the hour of the run
      const calendarsDir = join(work, 'calendars');
      cpSync(join(ROOT, 'config', 'calendars'), calendarsDir, { recursive: true });
      const allDay = ['00:00-24:00'];
      writeFileSync(
        join(calendarsDir, 'always.json'),
        JSON.stringify({
          id: 'always',
          version: 1,
          timeZone: 'UTC',
          week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
          holidays: [],
        }),
      );
      const policyFile = join(work, 'sla-policy.json');
      const days = FIRST_RESPONSE_DAYS;
      writeFileSync(
        policyFile,
        JSON.stringify({
          version: 'multi-instance-1',
          firstResponseBusinessDays: { P1: days, P2: days, P3: days, P4: days },
          resolutionBusinessDays: {},
          calendarByRegion: { emea: 'always', amer: 'always', apac: 'always', anz: 'always' },
          regionByTenant: {},
          defaultCalendar: 'always',
        }),
      );

      database = await createTestDatabase(serverUrl);
      kafka = new Kafka({ clientId: 'multi-instance-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
      const [api1, api2, metrics1, metrics2] = [await freePort(), await freePort(), await freePort(), await freePort()];
      const env = {
        DATABASE_URL: database.url,
        HOST,
        WORKERS_IN_PROCESS: 'false',
        LOG_LEVEL: 'info',
        AUTH_SECRET,
        PSEUDONYM_SECRET,
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_PARTITIONS: '3',
        SURVEY_DELAY: '2s',
        SCHEDULER_POLL: '200ms',
        CALENDARS_DIR: calendarsDir,
        SLA_POLICY_FILE: policyFile,
        HELP_ARTICLES_FILE: '',
        PUBLIC_BASE_URL: `http://${HOST}:${api1}`,
      };
      // all four at once on the fresh database: their migrations race, as in a deploy
      const started = [
        start('api-1', 'apps/api/src/main.js', { ...env, PORT: String(api1) }),
        start('api-2', 'apps/api/src/main.js', { ...env, PORT: String(api2) }),
        start('worker-1', 'apps/worker/src/main.js', {
          ...env,
          PORT: String(api1),
          WORKER_METRICS_PORT: String(metrics1),
        }),
        start('worker-2', 'apps/worker/src/main.js', {
          ...env,
          PORT: String(api1),
          WORKER_METRICS_PORT: String(metrics2),
        }),
      ];
      apis.push(`http://${HOST}:${api1}`, `http://${HOST}:${api2}`);
      workers.push(
        { child: started[2], metricsUrl: `http://${HOST}:${metrics1}/metrics` },
        { child: started[3], metricsUrl: `http://${HOST}:${metrics2}/metrics` },
      );
      await waitFor(
        async () => {
          const dead = children.find((c) => c.exit !== undefined);
          if (dead) throw new Error(`${dead.name} exited (${dead.exit}) while starting\n${outputs()}`);
          const ready = await Promise.all(
            apis.map((url) =>
              fetch(`${url}/health/ready`).then(
                (r) => r.ok,
                () => false,
              ),
            ),
          );
          return ready.every(Boolean) && workers.every((w) => w.child.output.includes('"msg":"worker started"'));
        },
        () => `the APIs and workers did not start\n${outputs()}`,
        { intervalMs: 100 },
      );
      handle = await createEventStore({ databaseUrl: database.url, poolSize: 4 });
    });

    afterAll(async () => {
      for (const child of children) if (child.exit === undefined) child.process.kill('SIGKILL');
      await Promise.all(
        children.map((c) => (c.exit === undefined ? new Promise((r) => c.process.once('exit', r)) : undefined)),
      );
      await reader?.stop().catch(() => undefined);
      if (kafka)
        await deleteTopicsAndGroups(
          kafka,
          [topic, `${prefix}.case-state.v1`, `${prefix}.intake-events.v1`],
          reader ? [reader.groupId] : [],
        );
      await handle?.store.close();
      await database?.drop();
      build?.remove();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('drives cases through both APIs, kills the relay leader halfway, and every timer, publication and read model comes out exactly once', async () => {
      const { db } = handle;
      const [admin, agent] = await Promise.all([
        issueLocalToken(AUTH_SECRET, DESK_ADMIN, { expiresIn: '2h' }),
        issueLocalToken(AUTH_SECRET, DESK_AGENT, { expiresIn: '2h' }),
      ]);
      let commands = 0;
      const call = async (api: number, method: 'GET' | 'POST', path: string, token: string, body?: object) => {
        const res = await fetch(`${apis[api]}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        if (res.status >= 300) throw new Error(`${method} ${path} on API ${api + 1}: ${res.status} ${text}`);
        if (method === 'POST') commands += 1;
        return {
          body: JSON.parse(text) as Record<string, unknown>,
          position: Number(res.headers.get('x-log-position')),
          caughtUp: res.headers.get('x-read-model-caught-up'),
        };
      };

      // read your writes, across instances: the write's position on the other API
      let notCaughtUp = 0;
      let readChecks = 0;
      const readsOwnWrite = async (api: number, position: number, caseId: string, status: string) => {
        await waitFor(
          async () => {
            const list = await call(api, 'GET', `/v1/cases?after=${position}&status=${status}&limit=200`, admin);
            // the list says it in a header (the body is the page)
            expect(list.caughtUp).toMatch(/^(true|false)$/);
            if (list.caughtUp !== 'true') {
              notCaughtUp += 1;
              return false;
            }
            const items = list.body.items as { id: string; status: string }[];
            expect(items.map((i) => i.id)).toContain(caseId);
            return true;
          },
          () => `API ${api + 1} never caught up with position ${position}\n${outputs()}`,
        );
        readChecks += 1;
      };

      // one relay at a time: the workers' gauges, sampled while the cases are driven
      let sampling = true;
      let samples = 0;
      const bothLed: string[] = [];
      /** when the relay's leader was killed, and how long until the other worker led (for the summary line) */
      let killedAt: number | undefined;
      let takenOverAfterMs: number | undefined;
      const sampler = (async () => {
        while (sampling) {
          const leading = await Promise.all(
            workers.map(async (w) => {
              if (w.child.exit !== undefined) return false;
              const text = await fetch(w.metricsUrl).then(
                (r) => r.text(),
                () => '',
              );
              return /^kafka_relay_leader(\{[^}]*\})? 1$/m.test(text);
            }),
          );
          samples += 1;
          if (leading.every(Boolean)) bothLed.push(new Date().toISOString());
          if (killedAt !== undefined && takenOverAfterMs === undefined && leading.some(Boolean))
            takenOverAfterMs = Math.round(performance.now() - killedAt);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();

      const unanswered: string[] = [];
      const resolved: string[] = [];
      let done = 0;
      let killed: { name: string; ledRelay: boolean; checkpoint: number } | undefined;
      const killLeader = async () => {
        const lease = (await db.query<{ owner: string }>("SELECT owner FROM leases WHERE component = 'messaging'"))
          .rows[0];
        const pid = lease ? Number(lease.owner.split(':').at(-2)) : undefined;
        const victim = workers.find((w) => w.child.process.pid === pid) ?? workers[0];
        // frozen first, its sessions and presence lock still there: no other relay leads yet,
        // and the checkpoint read now is the leader's last (or below it, if a commit of its
        // own was still on the way: a looser bound, never a wrong one); then killed
        victim.child.process.kill('SIGSTOP');
        const checkpoint = (
          await db.query<{ global_position: string }>(
            "SELECT global_position FROM checkpoints WHERE component = 'messaging'",
          )
        ).rows[0];
        await stop(victim.child, 'SIGKILL');
        killedAt = performance.now();
        killed = {
          name: victim.child.name,
          ledRelay: victim.child.process.pid === pid,
          checkpoint: Number(checkpoint?.global_position ?? 0),
        };
      };

      const flow = async (k: number) => {
        const a = k % 2;
        const b = 1 - a;
        const opened = await call(a, 'POST', '/v1/cases', admin, OPEN_CASE_REQUEST);
        const id = String(opened.body.id);
        await readsOwnWrite(b, opened.position, id, 'open');
        if (k % 3 === 0) {
          unanswered.push(id);
          return;
        }
        await call(b, 'POST', `/v1/cases/${id}/assignment`, agent, {});
        await call(a, 'POST', `/v1/cases/${id}/responses`, agent, { message: 'Looking into it.' });
        await call(b, 'POST', `/v1/cases/${id}/notes`, agent, { message: 'Checked the IdP logs.' });
        if (k % 3 === 1) {
          await call(b, 'POST', `/v1/cases/${id}/info-requests`, agent, {
            items: ['logs'],
            message: 'The SAML trace, please.',
          });
          await call(a, 'POST', `/v1/cases/${id}/info`, admin, { message: 'Trace attached.', attachments: [] });
        } else {
          await call(b, 'POST', `/v1/cases/${id}/responses`, agent, { message: 'Rolling the certificate back.' });
        }
        const resolution = await call(a, 'POST', `/v1/cases/${id}/resolution`, agent, {
          outcome: 'solved',
          summary: 'Fixed.',
        });
        await readsOwnWrite(b, resolution.position, id, 'resolved');
        resolved.push(id);
      };
      let next = 0;
      try {
        await Promise.all(
          Array.from({ length: FLOWS }, async () => {
            while (next < CASES) {
              await flow(next++);
              done += 1;
              if (done === Math.floor(CASES / 2) && !killed) await killLeader();
            }
          }),
        );
      } finally {
        sampling = false;
        await sampler;
      }
      expect(killed).toBeDefined();
      const survivor = workers.find((w) => w.child.exit === undefined)!;
      expect(survivor).toBeDefined();

      // timers: a breach for every case left unanswered, a survey for every resolved one, and their e-mails
      const perCase = async (type: string) =>
        new Map(
          (
            await db.query<{ stream_id: string; n: string }>(
              `SELECT stream_id, count(*) AS n FROM events WHERE event_type = $1 GROUP BY stream_id`,
              [type],
            )
          ).rows.map((row) => [row.stream_id.replace(/^case-/, ''), Number(row.n)]),
        );
      await waitFor(
        async () => {
          const [breaches, surveys, mails] = await Promise.all([
            perCase('SlaBreached'),
            perCase('SurveySent'),
            db.query<{ n: string }>(`SELECT count(*) AS n FROM survey_mails WHERE state = 'sent'`),
          ]);
          return (
            unanswered.every((id) => breaches.has(id)) &&
            resolved.every((id) => surveys.has(id)) &&
            Number(mails.rows[0].n) >= resolved.length
          );
        },
        () => `the breaches, surveys and survey e-mails did not all happen\n${outputs()}`,
        { intervalMs: 250 },
      );
      // nothing else due: the next timers are a day away (auto-close), so these are final
      const breaches = await perCase('SlaBreached');
      for (const id of unanswered) expect([id, breaches.get(id)]).toEqual([id, 1]);
      for (const [id, n] of breaches) expect([id, n]).toEqual([id, 1]);
      const surveys = await perCase('SurveySent');
      expect([...surveys.keys()].sort()).toEqual([...resolved].sort());
      for (const [id, n] of surveys) expect([id, n]).toEqual([id, 1]);
      const mails = (
        await db.query<{ stream_id: string; state: string; message_id: string }>(
          'SELECT stream_id, state, message_id FROM survey_mails',
        )
      ).rows;
      expect(mails.map((m) => m.stream_id.replace(/^case-/, '')).sort()).toEqual([...resolved].sort());
      expect(mails.every((m) => m.state === 'sent')).toBe(true);
      // the e-mails themselves: one .eml per survey across both workers' outboxes (and none from the APIs)
      const emails = workers.flatMap(({ child }) => {
        const outbox = join(child.dataDir, 'outbox');
        let names: string[];
        try {
          names = readdirSync(outbox).filter((n) => n.endsWith('.eml'));
        } catch {
          names = []; // this worker sent none
        }
        return names.map((name) => ({ name, text: readFileSync(join(outbox, name), 'utf8').replace(/=\r?\n/g, '') }));
      });
      for (const mail of mails) {
        const suffix = `-${mail.message_id.replace(/[^A-Za-z0-9._-]+/g, '_')}.eml`;
        expect([mail.stream_id, emails.filter((e) => e.name.endsWith(suffix)).length]).toEqual([mail.stream_id, 1]);
      }
      expect(emails.filter((e) => e.text.includes('/console/survey/')).length).toBe(resolved.length);

      // Kafka: every case event, once by event id; one relay led at a time
      expect(samples).toBeGreaterThan(0);
      expect(bothLed).toEqual([]);
      // every case event but the staff's notes, which are never published (docs/kafka.md)
      const stored = (
        await db.query<{ event_id: string; global_position: string; event_type: string }>(
          `SELECT event_id::text AS event_id, global_position, event_type FROM events
            WHERE stream_id LIKE 'case-%' AND NOT (event_type = ANY($1::text[]))`,
          [[...NEVER_PUBLISHED_CASE_EVENT_TYPES]],
        )
      ).rows;
      reader = await TopicReader.start(kafka, topic);
      const idsOnKafka = () => reader!.messages.map((m) => m.headers['event-id']);
      const missing = async () => {
        const ids = new Set(idsOnKafka());
        const relay = await db.query("SELECT * FROM checkpoints WHERE component = 'messaging'");
        const lost = stored.filter((e) => !ids.has(e.event_id));
        return `${lost.length} of ${stored.length} not on ${topic} (killed: ${JSON.stringify(killed)}, relay now: ${JSON.stringify(relay.rows)}): ${JSON.stringify(lost.slice(0, 30))}`;
      };
      let describeMissing = '';
      await reader
        .until(
          () => new Set(idsOnKafka()).size >= stored.length,
          () => `not every case event reached ${topic}`,
          120_000,
        )
        .catch(async (error: Error) => {
          describeMissing = await missing();
          throw new Error(`${error.message}\n${describeMissing}\n${outputs()}`);
        });
      const onKafka = idsOnKafka();
      expect(new Set(onKafka)).toEqual(new Set(stored.map((e) => e.event_id)));
      const seen = new Map<string, number>();
      for (const id of onKafka) seen.set(id, (seen.get(id) ?? 0) + 1);
      const copies = [...seen].filter(([, n]) => n > 1);
      // a second copy only of what the killed leader had sent after its last checkpoint
      const positionOf = new Map(stored.map((e) => [e.event_id, Number(e.global_position)]));
      for (const [id, n] of copies) {
        expect(killed!.ledRelay).toBe(true);
        expect(n).toBe(2);
        expect(positionOf.get(id)!).toBeGreaterThan(killed!.checkpoint);
      }

      // each projection equals a rebuild from the log: wait until the survivor has applied
      // everything, stop it, then rebuild here into fresh tables and compare the rows
      const sla = SlaService.load({
        calendarsDir: join(work, 'calendars'),
        policyFile: join(work, 'sla-policy.json'),
      });
      const runners = allProjections(sla).map(
        (projection) => [projection, new ProjectionRunner(projection, { store: handle.store, db })] as const,
      );
      await waitFor(
        async () => (await Promise.all(runners.map(([, r]) => r.lag()))).every((lag) => lag.events === 0),
        () => `the projections did not catch up\n${outputs()}`,
        { intervalMs: 200 },
      );
      await stop(survivor.child, 'SIGTERM');
      const rows = async (projection: Projection) => {
        const all: Record<string, string[]> = {};
        for (const view of Object.keys(projection.tables)) {
          const { rows: found } = await db.query(`SELECT * FROM "${view}"`);
          all[view] = found.map((row) => JSON.stringify(row)).sort();
        }
        return all;
      };
      for (const [projection, runner] of runners) {
        const live = await rows(projection);
        const rebuilt = await runner.rebuild();
        expect(rebuilt.swapped).toBe(true);
        expect([projection.name, await rows(projection)]).toEqual([projection.name, live]);
      }
      const summaries = await db.query<{ n: string }>('SELECT count(*) AS n FROM case_summaries');
      expect(Number(summaries.rows[0].n)).toBe(CASES);

      process.stderr.write(
        `multi-instance: ${CASES} cases, ${commands} commands through 2 APIs; killed ${killed!.name} (relay leader: ${killed!.ledRelay}); ` +
          `${unanswered.length} breaches, ${resolved.length} surveys; ${stored.length} case events on Kafka, ${copies.length} sent twice; ` +
          `${readChecks} cross-instance reads, ${notCaughtUp} answers not caught up within 2 s; ${samples} leadership samples, ` +
          `the relay led again ${takenOverAfterMs ?? '?'} ms after the SIGKILL\n`,
      );
    });
  }),
);
