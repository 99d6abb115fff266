import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../open-database';
import { DATA_DIR_LOCK_FILE, DataDirInUse, lockDataDir, type DataDirLockHolder } from './data-dir-lock';
import { PgliteDatabase } from './pglite-database';

/** the pid of a process that has exited (and was reaped): no process has it now */
const deadPid = async (): Promise<number> => {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
};

const lockOf = async (dir: string): Promise<DataDirLockHolder> =>
  JSON.parse(await readFile(join(dir, DATA_DIR_LOCK_FILE), 'utf8')) as DataDirLockHolder;

const writeLock = (dir: string, holder: Partial<DataDirLockHolder>) =>
  writeFile(
    join(dir, DATA_DIR_LOCK_FILE),
    JSON.stringify({ host: hostname(), startedAt: '2026-03-02T09:00:00.000Z', nonce: 'an-old-lock', ...holder }),
  );

describe('one process per embedded store: the data directory lock', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'data-dir-lock-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('refuses a second open of the directory while the first is open, naming the holder; after close it opens', async () => {
    const dataDir = join(root, 'data');
    const first = await openDatabase({ dataDir });
    const holder = await lockOf(dataDir);
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });

    const second = openDatabase({ dataDir });
    await expect(second).rejects.toThrow(DataDirInUse);
    await expect(second).rejects.toThrow(
      `DATA_DIR ${dataDir} is in use by process ${process.pid} (started ${holder.startedAt}); ` +
        'stop it first, or point DATA_DIR elsewhere',
    );
    await expect(second).rejects.toMatchObject({ code: 'EVENT_STORE.DATA_DIR_IN_USE', retriable: false });
    // the refused open changed nothing: the first still holds the directory and works
    expect(await lockOf(dataDir)).toEqual(holder);
    await first.exec('CREATE TABLE kept (v int); INSERT INTO kept VALUES (1)');

    await first.close();
    expect(await readdir(dataDir)).not.toContain(DATA_DIR_LOCK_FILE);
    const again = await openDatabase({ dataDir });
    expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 1 }]);
    expect((await lockOf(dataDir)).nonce).not.toBe(holder.nonce);
    await again.close();
  });

  it('takes over a lock whose process is gone', async () => {
    const dataDir = join(root, 'data');
    const pid = await deadPid();
    await rm(dataDir, { recursive: true, force: true });
    await PgliteDatabase.open(dataDir).then((db) => db.close()); // an existing store
    await writeLock(dataDir, { pid });

    const db = await PgliteDatabase.open(dataDir);
    expect(await lockOf(dataDir)).toMatchObject({ pid: process.pid });
    await db.close();
    expect(await readdir(dataDir)).not.toContain(DATA_DIR_LOCK_FILE);
  });

  it('lets exactly one of several starters racing for a stale lock win; the others name the winner', async () => {
    await writeLock(root, { pid: await deadPid() });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => lockDataDir(root)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(refused.map((r) => r.reason)).toEqual(Array(5).fill(expect.any(DataDirInUse)));
    expect(refused.map((r) => (r.reason as Error).message)).toEqual(
      Array(5).fill(expect.stringContaining(`is in use by process ${process.pid} `)),
    );
    expect((await lockOf(root)).nonce).toBe(won[0].value.holder.nonce);
    await won[0].value.release();
    // no takeover or draft files left behind
    expect(await readdir(root)).toEqual([]);
  });

  it('lets exactly one of several starters on a free directory win', async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => lockDataDir(root)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    await won[0].value.release();
    expect(await readdir(root)).toEqual([]);
  });

  it("takes over a lock naming this process's pid that this process does not hold (pid 1 in a restarted container)", async () => {
    await writeLock(root, { pid: process.pid });
    const lock = await lockDataDir(root);
    expect((await lockOf(root)).nonce).toBe(lock.holder.nonce);
    await lock.release();
  });

  it('takes over a lock written before the machine rebooted (another boot id), even if its pid is alive now', async () => {
    await writeLock(root, { pid: process.ppid, bootId: 'a-boot-before-this-one' });
    const lock = await lockDataDir(root);
    expect((await lockOf(root)).nonce).toBe(lock.holder.nonce);
    await lock.release();
  });

  it('refuses while the lock names a live process', async () => {
    await writeLock(root, { pid: process.ppid });
    await expect(lockDataDir(root)).rejects.toThrow(
      `DATA_DIR ${root} is in use by process ${process.ppid} (started 2026-03-02T09:00:00.000Z); ` +
        'stop it first, or point DATA_DIR elsewhere',
    );
  });

  it('counts a lock of another host as held (its process cannot be checked), and says how to clear it', async () => {
    const pid = await deadPid();
    await writeLock(root, { pid, host: 'elsewhere.example' });
    await expect(lockDataDir(root)).rejects.toThrow(
      `DATA_DIR ${root} is in use by process ${pid} on host elsewhere.example (started 2026-03-02T09:00:00.000Z); ` +
        `stop it first (if it is gone, delete ${join(root, DATA_DIR_LOCK_FILE)}), or point DATA_DIR elsewhere`,
    );
  });

  it('refuses a lock file it cannot read, rather than guess', async () => {
    await writeFile(join(root, DATA_DIR_LOCK_FILE), 'not json');
    await expect(lockDataDir(root)).rejects.toThrow(
      `DATA_DIR ${root} has a lock file that cannot be read (${join(root, DATA_DIR_LOCK_FILE)}); ` +
        'if no process uses the directory, delete it',
    );
  });

  it('release removes only its own lock', async () => {
    const lock = await lockDataDir(root);
    const other = { pid: process.ppid, nonce: 'someone-else' };
    await writeLock(root, other); // as if replaced (by hand) meanwhile
    await lock.release();
    expect(await lockOf(root)).toMatchObject(other);
  });

  it('takes no lock in memory', async () => {
    const a = await PgliteDatabase.open();
    const b = await PgliteDatabase.open();
    await Promise.all([a.close(), b.close()]);
  });
});
