import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DATA_DIR_LOCK_FILE } from '../../../libs/event-store/src/pglite/data-dir-lock';
import { freePort } from '@app/testing';

/**
 * One process per embedded store, with real processes: the API, the worker and casectl as
 * `npm start`, `npm run worker` and `npm run casectl` run them (built with swc into a
 * directory of this test's own), on one DATA_DIR.
 */
const ROOT = resolve(__dirname, '../../..');

interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

describe('one process per DATA_DIR (embedded store), across processes', () => {
  let out: string;
  let dataDir: string;
  const children: ChildProcess[] = [];

  const start = (script: string, args: string[], env: Record<string, string>): Started => {
    const child = spawn(process.execPath, [join(out, script), ...args], {
      cwd: ROOT,
      // NODE_NO_WARNINGS: stderr is then the refusal alone (no library's deprecation notice)
      env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    return { child, exited, stdout: () => stdout, stderr: () => stderr };
  };

  /** the API, resolved once it listens (its 'api listening' line), or rejected if it exits first */
  const startApi = async (): Promise<Started> => {
    const api = start('apps/api/src/main.js', [], { PORT: String(await freePort()), HOST: '127.0.0.1' });
    await new Promise<void>((resolveUp, rejectUp) => {
      const onData = () => {
        if (api.stdout().includes('"api listening"')) {
          api.child.stdout!.off('data', onData);
          resolveUp();
        }
      };
      api.child.stdout!.on('data', onData);
      void api.exited.then(({ code }) =>
        rejectUp(new Error(`the API exited (${code}) before listening: ${api.stderr()}${api.stdout()}`)),
      );
    });
    return api;
  };

  const lockPid = () => (JSON.parse(readFileSync(join(dataDir, DATA_DIR_LOCK_FILE), 'utf8')) as { pid: number }).pid;

  beforeAll(async () => {
    // a build of our own (not dist/, which `npm start` elsewhere may be rewriting); inside
    // the repository so that the compiled code finds node_modules
    out = join(ROOT, 'dist', `e2e-data-dir-lock-${randomUUID()}`);
    await promisify(execFile)(
      join(ROOT, 'node_modules/.bin/swc'),
      [
        'apps',
        'libs',
        '-d',
        out,
        '--only',
        '**/*.ts',
        '--ignore',
        '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts,**/test/*.ts',
        '-q',
      ],
      { cwd: ROOT },
    );
    dataDir = await mkdtemp(join(tmpdir(), 'data-dir-lock-e2e-'));
    // the processes are not test files: they would run initdb (seconds of WASM) on the empty
    // directory; the run's bare template copied there first spares it (test/pglite-template.*)
    const template = process.env.PGLITE_TEMPLATE_DIR;
    if (template) await cp(template, dataDir, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(out, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second API, the worker and casectl while the API runs; a killed API leaves a lock the next start takes over', async () => {
    const first = await startApi();
    const firstPid = first.child.pid!;
    expect(lockPid()).toBe(firstPid);
    const inUse = new RegExp(
      `^DATA_DIR ${dataDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is in use by process ${firstPid} ` +
        `\\(started [0-9T:.Z-]+\\); stop it first, or point DATA_DIR elsewhere\n$`,
    );

    const second = start('apps/api/src/main.js', [], { PORT: String(await freePort()), HOST: '127.0.0.1' });
    expect((await second.exited).code).toBe(1);
    expect(second.stderr()).toMatch(inUse);

    const worker = start('apps/worker/src/main.js', [], { WORKER_METRICS_PORT: '0', HOST: '127.0.0.1' });
    expect((await worker.exited).code).toBe(1);
    expect(worker.stderr()).toMatch(inUse);

    const casectl = start('apps/casectl/src/main.js', ['audit', 'verify', '--data-dir', dataDir], {});
    expect((await casectl.exited).code).toBe(3);
    expect(casectl.stderr().replace(/^casectl audit: /, '')).toMatch(inUse);

    // the refused starts left the lock (and the API) alone
    expect(lockPid()).toBe(firstPid);
    expect(first.child.exitCode).toBeNull();

    first.child.kill('SIGKILL'); // no chance to release: the lock stays, stale
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(lockPid()).toBe(firstPid);

    const third = await startApi();
    expect(lockPid()).toBe(third.child.pid);

    // a stopped API releases the directory
    third.child.kill('SIGTERM');
    await third.exited;
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(false);
  }, 180_000);
});
