import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EventStoreError } from '../event-store.errors';

/**
 * One process per embedded store. PGlite keeps no lock of its own: two processes on one
 * data directory both start, both acknowledge writes, and one's writes are lost (and the
 * hash chains broken) when the other's state is written over them. So whoever opens the
 * directory first writes `<dataDir>/store.lock` (its pid, host, boot, start time), and a
 * second opener is refused with {@link DataDirInUse} while that process lives.
 *
 * - The file is created with its content in one step (written under a private name, then
 *   hard-linked to `store.lock`: `link` fails if the name exists), so no reader sees it
 *   half-written and of two creators exactly one wins.
 * - A lock whose process is gone (`kill(pid, 0)` answers ESRCH, or the machine rebooted
 *   since: another boot id) is stale and taken over. The takeover of a stale lock is itself
 *   a lock, named after the stale one (`store.lock.takeover-<its nonce>`), so of several
 *   starters that found the same stale lock, one replaces it and the others are refused.
 * - A lock written on another host cannot be checked and counts as held.
 * - Released when the store closes, and on process exit and on a signal that would end the
 *   process (best effort: a `kill -9` leaves a stale lock, taken over by the next start).
 */

/** The lock file's name in the data directory. */
export const DATA_DIR_LOCK_FILE = 'store.lock';

/** What the lock file holds. */
export interface DataDirLockHolder {
  readonly pid: number;
  readonly host: string;
  /** Linux's boot id (`/proc/sys/kernel/random/boot_id`), when there is one */
  readonly bootId?: string;
  /** when the lock was taken (ISO 8601) */
  readonly startedAt: string;
  /** unique per lock, so a lock is told from the next one of the same pid */
  readonly nonce: string;
}

/** The data directory is held by another live process (or its lock file cannot be read). */
export class DataDirInUse extends EventStoreError {
  readonly code = 'EVENT_STORE.DATA_DIR_IN_USE';
  readonly retriable = false;

  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    /** undefined: the lock file is there but is not a lock this code wrote */
    readonly holder: DataDirLockHolder | undefined,
  ) {
    super(
      holder === undefined
        ? `DATA_DIR ${dataDir} has a lock file that cannot be read (${lockFile}); if no process uses the directory, delete it`
        : holder.host !== hostname()
          ? `DATA_DIR ${dataDir} is in use by process ${holder.pid} on host ${holder.host} (started ${holder.startedAt}); ` +
            `stop it first (if it is gone, delete ${lockFile}), or point DATA_DIR elsewhere`
          : `DATA_DIR ${dataDir} is in use by process ${holder.pid} (started ${holder.startedAt}); ` +
            'stop it first, or point DATA_DIR elsewhere',
    );
  }
}

/** A held lock on a data directory. */
export interface DataDirLock {
  readonly file: string;
  readonly holder: DataDirLockHolder;
  /** removes the lock file (if it is still this lock's); idempotent */
  release(): Promise<void>;
}

/**
 * Takes the lock of `dataDir` (which must exist) or throws {@link DataDirInUse} naming the
 * process that holds it. A second lock of the same directory in the same process is refused
 * too: one PGlite per directory.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = join(dataDir, DATA_DIR_LOCK_FILE);
  const claimed = await claim(file);
  if (!('lock' in claimed)) throw new DataDirInUse(dataDir, file, claimed.holder);
  return claimed.lock;
}

/** nonces of the locks this process holds: a lock naming this pid is live only if listed here */
const heldHere = new Map<string, { file: string; nonce: string }>();

type Claim = { lock: DataDirLock } | { holder: DataDirLockHolder | undefined };

async function claim(file: string): Promise<Claim> {
  for (;;) {
    const mine = newHolder();
    if (await create(file, mine)) return { lock: held(file, mine) };
    let holder: DataDirLockHolder | undefined;
    try {
      holder = await readHolder(file);
    } catch {
      return { holder: undefined };
    }
    if (holder === undefined) continue; // released in the meantime: try again
    if (isAlive(holder)) return { holder };
    // stale: only the starter holding the takeover lock of this very lock may remove it
    const takeover = await claim(`${file}.takeover-${holder.nonce}`);
    if (!('lock' in takeover)) return takeover; // another starter is taking over: it wins
    try {
      const now = await readHolder(file).catch(() => undefined);
      if (now?.nonce === holder.nonce) await unlink(file).catch(ignoreMissing);
    } finally {
      await takeover.lock.release();
    }
  }
}

/** Creates `file` holding `holder`, atomically with its content; false if it exists. */
async function create(file: string, holder: DataDirLockHolder): Promise<boolean> {
  const draft = `${file}.${holder.nonce}.draft`;
  await writeFile(draft, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft).catch(ignoreMissing);
  }
}

/** the holder in `file`; undefined if there is no file; throws if it is not a lock */
async function readHolder(file: string): Promise<DataDirLockHolder | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<DataDirLockHolder>;
  if (
    !Number.isInteger(parsed.pid) ||
    (parsed.pid as number) <= 0 ||
    typeof parsed.host !== 'string' ||
    typeof parsed.nonce !== 'string' ||
    typeof parsed.startedAt !== 'string'
  )
    throw new Error(`not a lock: ${file}`);
  return parsed as DataDirLockHolder;
}

function isAlive(holder: DataDirLockHolder): boolean {
  if (holder.host !== hostname()) return true; // cannot tell: count it as held
  const boot = currentBootId();
  if (holder.bootId !== undefined && boot !== undefined && holder.bootId !== boot) return false;
  // this pid: live only if this process holds that very lock (else a previous process had
  // our pid, as pid 1 in a restarted container)
  if (holder.pid === process.pid) return heldHere.has(holder.nonce);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function newHolder(): DataDirLockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    bootId: currentBootId(),
    startedAt: new Date().toISOString(),
    nonce: randomUUID(),
  };
}

let bootId: string | null | undefined;
function currentBootId(): string | undefined {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId ?? undefined;
}

function held(file: string, holder: DataDirLockHolder): DataDirLock {
  const entry = { file, nonce: holder.nonce };
  heldHere.set(holder.nonce, entry);
  installExitHooks();
  let released: Promise<void> | undefined;
  return {
    file,
    holder,
    release: () =>
      (released ??= (async () => {
        try {
          const now = await readHolder(file).catch(() => undefined);
          if (now?.nonce === holder.nonce) await unlink(file).catch(ignoreMissing);
        } finally {
          // only now: until the file is gone, this process's lock must still count as live
          heldHere.delete(holder.nonce);
          if (heldHere.size === 0) uninstallExitHooks();
        }
      })()),
  };
}

/** removes every lock this process holds, synchronously (on exit) */
function releaseAllSync(): void {
  for (const { file, nonce } of heldHere.values()) {
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as DataDirLockHolder).nonce === nonce) unlinkSync(file);
    } catch {
      // best effort: a lock left behind is stale, and taken over by the next start
    }
  }
  heldHere.clear();
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let hooked = false;

function onExit(): void {
  releaseAllSync();
}

/**
 * On a signal nobody else handles (the process is about to die of it): release, then die of
 * it as before. When others handle it (Nest's shutdown hooks close the store, which releases
 * the lock), leave the lock to them: it must outlive the database's last write.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  releaseAllSync();
  uninstallExitHooks();
  process.kill(process.pid, signal);
}

function installExitHooks(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstallExitHooks(): void {
  if (!hooked) return;
  hooked = false;
  process.removeListener('exit', onExit);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
