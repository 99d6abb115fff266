import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deskHistory } from '@app/case-domain/testing';
import { createEventStore, SqlEventStore, type EventStoreHandle } from '@app/event-store';
import { SlaService } from '@app/sla';
import { appendHistory } from '@app/testing';
import { allProjections } from '@app/workers';
import { queueRows } from '../../../libs/read-models/src/testing/read-model-test-kit';
import { EXIT_OK, EXIT_USAGE, runProjectionsCommand, type ProjectionsCommandIo } from './projections.command';

describe('casectl projections', () => {
  let handle: EventStoreHandle;
  let dir: string;
  const root = join(__dirname, '..', '..', '..');
  const projections = allProjections(
    SlaService.load({
      calendarsDir: join(root, 'config', 'calendars'),
      policyFile: join(root, 'config', 'sla-policy.json'),
    }),
  );

  /** runs the command over the shared in-memory store; resolves to its exit code and output */
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: ProjectionsCommandIo = {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      env: {},
      cwd: dir,
      projections,
      // a store over the same database that does not close it: the command closes what it opens
      openStore: async () => ({ store: new SqlEventStore(handle.db), db: handle.db }),
    };
    const code = await runProjectionsCommand(argv, io);
    return { code, stdout: out.join(''), stderr: err.join('') };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casectl-projections-'));
    handle = await createEventStore();
    await appendHistory(handle.store, deskHistory({ events: 400, seed: 3 }));
  });
  afterAll(async () => {
    await handle.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds one projection from scratch into a new generation, and says how many events it read', async () => {
    const first = await run('rebuild', 'case-queue');
    expect(first).toMatchObject({ code: EXIT_OK, stderr: '' });
    // generation 1 is the empty one the runner prepares; the rebuild fills generation 2
    expect(first.stdout).toMatch(/^rebuilt case-queue: generation 2 \(version 2\), 400 events in \d+\.\d s\n$/);
    const rows = await queueRows(handle.db);
    expect(rows.length).toBeGreaterThan(10);
    const again = await run('rebuild', 'case-queue', '--batch-size', '7');
    expect(again.stdout).toMatch(/^rebuilt case-queue: generation 3 \(version 2\), 400 events/);
    expect(await queueRows(handle.db)).toEqual(rows);
  });

  it('rebuilds them all, then lists every projection caught up with nothing parked', async () => {
    const all = await run('rebuild', 'all');
    expect(all.code).toBe(EXIT_OK);
    expect(
      all.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(':')[0]),
    ).toEqual([
      'rebuilt case-summaries',
      'rebuilt case-queue',
      'rebuilt case-reports',
      'rebuilt help-articles',
      'rebuilt intakes',
      expect.stringMatching(/^rebuilt 5 projections in \d+\.\d s$/),
    ]);
    const list = await run('list');
    expect(list.code).toBe(EXIT_OK);
    expect(list.stdout).toMatch(/^case-queue: position \d+, 0 events behind \(0\.0 s\), 0 parked in 0 streams$/m);
    expect(list.stdout).toMatch(/^case-reports: position \d+, 0 events behind/m);
    expect(await run('parked')).toMatchObject({ code: EXIT_OK, stdout: '' });
  });

  it('refuses an unknown projection or a bad flag with exit 2 and one line', async () => {
    const unknown = await run('rebuild', 'nope');
    expect(unknown).toMatchObject({ code: EXIT_USAGE, stdout: '' });
    expect(unknown.stderr).toBe(
      'casectl projections: no projection "nope"; the projections are case-summaries, case-queue, case-reports, help-articles, intakes\n',
    );
    expect((await run('rebuild', 'case-queue', '--batch-size', '0')).code).toBe(EXIT_USAGE);
    expect((await run('rebuild')).code).toBe(EXIT_USAGE);
  });
});
