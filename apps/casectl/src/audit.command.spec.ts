import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@app/clock';
import { createEventStore, SqlEventStore, type EventStoreHandle } from '@app/event-store';
import { recorded as ev } from '@app/case-domain/testing';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, runAuditCommand, type AuditCommandIo } from './audit.command';
import { runCasectl } from './main';

describe('casectl audit', () => {
  let handle: EventStoreHandle;
  let dir: string;
  const clock = new ManualClock('2026-03-02T09:00:00Z');

  /** runs the command over the shared in-memory store; resolves to its exit code and output */
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: AuditCommandIo = {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: { USER: 'olivia' },
      cwd: dir,
      now: () => clock.now(),
      // a store over the same database that does not close it: the command closes what it opens
      openStore: async () => ({ store: new SqlEventStore(handle.db, { clock }), db: handle.db }),
    };
    const code = await runAuditCommand(argv, io);
    return { code, stdout: out.join(''), stderr: err.join('') };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casectl-audit-'));
    handle = await createEventStore({ clock });
    const { store } = handle;
    await store.appendToStream('case-42', [ev.opened('42', '2026-03-02T09:00:00.000Z', 'fr', 'P1')], 'no-stream');
    clock.set('2026-03-02T09:30:00Z');
    await store.appendToStream('case-42', [ev.assigned('42', '2026-03-02T09:30:00.000Z')], 1);
    clock.set('2026-03-02T10:00:00Z');
    await store.appendToStream('case-42', [ev.resolved('42', '2026-03-02T10:00:00.000Z')], 2);
    await store.appendToStream('case-7', [ev.opened('7', '2026-03-02T10:00:00.000Z', 'de', 'P3')], 'no-stream');
    clock.set('2026-03-02T12:00:00Z');
  });
  afterAll(async () => {
    await handle.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verify: says every chain is intact and exits 0', async () => {
    const { code, stdout } = await run('verify');
    expect(code).toBe(EXIT_OK);
    // the 4 case events, and this read itself, recorded before the walk
    expect(stdout).toMatch(/^verified 5 events in 3 streams in \d+\.\d s$/m);
    expect(stdout).toContain('no checkpoint yet');
    expect(stdout).toContain('OK: every chain is intact');
  });

  it('replay: prints the timeline (time, actor, event, what changed), up to a moment if asked', async () => {
    const all = await run('replay', '42');
    expect(all.code).toBe(EXIT_OK);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toBe('case 42 as of 2026-03-02T12:00:00.000Z: resolved, P1, fr, version 3');
    expect(lines.slice(1).map((l) => l.slice(0, 60).trimEnd())).toEqual([
      '2026-03-02T09:00:00.000Z  ana (support-admin)  Opened v1',
      '2026-03-02T09:30:00.000Z  eve (agent)          AgentAssigned',
      '2026-03-02T10:00:00.000Z  eve (agent)          Resolved v3',
    ]);
    expect(lines[2]).toContain('assigneeId: ∅ → "eve"');
    expect(lines[3]).toContain('status: "open" → "resolved"');

    const early = await run('replay', '42', '--as-of', '2026-03-02T09:45:00+00:00');
    expect(early.stdout.split('\n')[0]).toBe('case 42 as of 2026-03-02T09:45:00.000Z: open, P1, fr, version 2');
    expect(early.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('replay: exits 1 for a case that did not exist then, 2 for a moment without a time zone', async () => {
    expect(await run('replay', '42', '--as-of', '2026-03-02T08:00:00Z')).toMatchObject({
      code: EXIT_NEGATIVE,
      stderr: 'casectl audit: Case 42 did not exist at 2026-03-02T08:00:00.000Z.\n',
    });
    const local = await run('replay', '42', '--as-of', '2026-03-02T09:45');
    expect(local.code).toBe(EXIT_USAGE);
    expect(local.stderr).toMatch(/--as-of must be an ISO 8601 instant with a time zone/);
  });

  it('export: streams the events recorded in [from, to) to an NDJSON file, with their hashes', async () => {
    const { code, stderr } = await run(
      'export',
      '--from',
      '2026-03-02T09:00:00Z',
      '--to',
      '2026-03-02T10:00:00Z',
      '--out',
      'log.ndjson',
    );
    expect(code).toBe(EXIT_OK);
    expect(stderr).toBe('exported 2 events to log.ndjson\n');
    const lines = readFileSync(join(dir, 'log.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => [e.streamId, e.version, e.type])).toEqual([
      ['case-42', 1, 'Opened'],
      ['case-42', 2, 'AgentAssigned'],
    ]);
    expect(lines[0]).toMatchObject({
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      position: expect.any(Number),
      recordedAt: '2026-03-02T09:00:00.000Z',
    });
  });

  it("records each read, with the operator's name, in the day's audit-access stream", async () => {
    await run('--as', 'auditor-bob', 'verify', '--stream', 'case-7');
    const { events } = await handle.store.readStream('audit-access-2026-03-02');
    const reads = events.map((e) => e.data as { readerId: string; action: string; resource: string });
    expect(reads).toContainEqual(
      expect.objectContaining({ readerId: 'olivia', action: 'audit.read', resource: 'casectl audit replay 42' }),
    );
    expect(reads).toContainEqual(
      expect.objectContaining({
        readerId: 'olivia',
        action: 'audit.export',
        resource: 'casectl audit export --from 2026-03-02T09:00:00Z --to 2026-03-02T10:00:00Z',
      }),
    );
    expect(reads[reads.length - 1]).toMatchObject({
      readerId: 'auditor-bob',
      action: 'audit.verify',
      resource: 'casectl audit verify --stream case-7',
    });
  });

  it('checkpoint, then verify: the checkpoint matches; a removed tail makes verify exit 1', async () => {
    const taken = await run('checkpoint');
    expect(taken.stdout).toMatch(/^checkpoint at position \d+: \d+ streams, \d+ events, heads [0-9a-f]{64}\n$/);
    const ok = await run('verify');
    expect(ok.code).toBe(EXIT_OK);
    expect(ok.stdout).toMatch(
      /checkpoint at position \d+ \(2026-03-02T12:00:00\.000Z, covering \d+ events of \d+ streams\): matches/,
    );

    await handle.db.query(`DELETE FROM events WHERE stream_id = 'case-42' AND stream_version = 3`);
    const broken = await run('verify');
    expect(broken.code).toBe(EXIT_NEGATIVE);
    expect(broken.stdout).toContain('DOES NOT MATCH');
    expect(broken.stdout).toMatch(
      /BROKEN \(checkpoint\): the checkpoint at position \d+ does not match the log: 1 of the \d+ events it covers are gone/,
    );
  });

  it('verify: names the altered event with the expected and found hash, and exits 1; --json gives the report', async () => {
    await handle.db.query(
      `UPDATE events SET data = jsonb_set(data, '{subject}', '"forged"') WHERE stream_id = 'case-7' AND stream_version = 1`,
    );
    const { code, stdout } = await run('verify', '--stream', 'case-7');
    expect(code).toBe(EXIT_NEGATIVE);
    expect(stdout).toMatch(
      /^BROKEN \(altered\): case-7 version 1 \(Opened, position \d+\): the stored hash does not match the event's content and the first event of the stream$/m,
    );
    expect(stdout).toMatch(/^ {2}expected [0-9a-f]{64}\n {2}found {4}[0-9a-f]{64}$/m);
    const json = await run('verify', '--stream', 'case-7', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      streamId: 'case-7',
      firstBreak: { kind: 'altered', streamId: 'case-7', version: 1 },
    });
  });

  it('refuses bad arguments with exit 2 and one line', async () => {
    expect(await run('verify', '--bogus')).toMatchObject({
      code: EXIT_USAGE,
      stderr: "casectl audit: unknown option '--bogus'\n",
    });
    expect(await run('replay')).toMatchObject({
      code: EXIT_USAGE,
      stderr: "casectl audit: missing required argument 'caseId'\n",
    });
    expect(await run('--database-url', 'mysql://x', 'verify')).toMatchObject({
      code: EXIT_USAGE,
      stderr: 'casectl audit: --database-url must be a postgres:// or postgresql:// URL\n',
    });
  });

  it('opens the embedded store in --data-dir when no database URL is given', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casectl-data-'));
    try {
      const seeded = await createEventStore({ dataDir });
      await seeded.store.appendToStream('case-1', [ev.opened('1', '2026-03-02T09:00:00.000Z')], 'no-stream');
      await seeded.store.close();
      const out: string[] = [];
      const code = await runAuditCommand(['--data-dir', dataDir, 'verify'], {
        stdout: (t) => out.push(t),
        stderr: (t) => out.push(t),
        env: {},
        cwd: dir,
      });
      expect(code).toBe(EXIT_OK);
      expect(out.join('')).toContain('verified 2 events in 2 streams'); // the case's, and this read's
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('casectl', () => {
  it('hands `audit` and `token` to their commands, and refuses an unknown command with exit 2', async () => {
    const seen: string[][] = [];
    const commands = {
      audit: async (argv: readonly string[]) => (seen.push(['audit', ...argv]), 0),
      token: async (argv: readonly string[]) => (seen.push(['token', ...argv]), 7),
    };
    const err: string[] = [];
    expect(await runCasectl(['audit', 'verify', '--stream', 'x'], commands)).toBe(0);
    expect(await runCasectl(['token', '--role', 'system'], commands)).toBe(7);
    expect(seen).toEqual([
      ['audit', 'verify', '--stream', 'x'],
      ['token', '--role', 'system'],
    ]);
    expect(
      await runCasectl(
        ['rebuild'],
        commands,
        (t) => err.push(t),
        () => undefined,
      ),
    ).toBe(2);
    expect(err).toEqual(["casectl: unknown command 'rebuild'\n"]);
  });
});
