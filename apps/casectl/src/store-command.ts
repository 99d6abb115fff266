import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { createEventStore, type EventStoreHandle, type EventStoreOptions } from '@app/event-store';

/**
 * What the commands that open the store (`casectl audit`, `casectl projections`) share: the
 * store flags, opening and closing the store, the exit codes, and how an error is reported
 * (one line on stderr). The store is PostgreSQL at --database-url (or DATABASE_URL), else
 * the embedded store in --data-dir (or DATA_DIR, or ./data). The embedded store is one
 * process's: while another (the API) has it open, opening it fails with `DataDirInUse`
 * ("DATA_DIR … is in use by process …"), reported as any error: one line, exit code 3.
 */

/** exit codes: 0 done; 1 the answer is no (each command says when); 2 bad arguments; 3 could not run */
export const EXIT_OK = 0;
export const EXIT_NEGATIVE = 1;
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 3;

/** Where a store command writes and what it reads; the defaults are the process's. */
export interface StoreCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** opens the store; tests pass one that hands out an existing store */
  readonly openStore?: (options: EventStoreOptions) => Promise<EventStoreHandle>;
}

export const processIo: StoreCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

export interface StoreFlags {
  databaseUrl?: string;
  dataDir?: string;
}

/** a bad argument: one line on stderr, exit code 2 */
export class UsageError extends Error {}

/**
 * The program `casectl <name>` with the store flags, and `command`, which adds a subcommand
 * that writes and fails as the program does (no process exit: `runStoreProgram` decides).
 */
export function storeProgram(
  name: string,
  description: string,
  io: StoreCommandIo,
): { program: Command; command: (name: string) => Command } {
  const output = { writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined };
  const program = new Command(name)
    .name(`casectl ${name}`)
    .description(description)
    .addOption(new Option('--database-url <url>', 'PostgreSQL; default $DATABASE_URL'))
    .addOption(new Option('--data-dir <dir>', 'embedded store (when no database URL); default $DATA_DIR or ./data'))
    .exitOverride()
    .configureOutput(output);
  const command = (sub: string) => program.command(sub).exitOverride().configureOutput(output);
  return { program, command };
}

/**
 * Runs the program `build` makes (its actions report their exit code through `setExit`) on
 * `argv`; resolves to the exit code. Commander's complaints and a {@link UsageError} are
 * bad arguments (2); `exitCodeOf` gives the code of the command's own errors; any other
 * error could not run (3). An error is one line on stderr, after the program's name.
 */
export async function runStoreProgram(
  argv: readonly string[],
  io: StoreCommandIo,
  build: (setExit: (code: number) => void) => Command,
  exitCodeOf: (err: Error) => number | undefined = () => undefined,
): Promise<number> {
  let code = EXIT_OK;
  const program = build((c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT_OK; // --help
      if (err.code === 'commander.help') return EXIT_USAGE; // no subcommand: the help went to stderr
      return fail(io, program, err.message.replace(/^error: /, ''), EXIT_USAGE);
    }
    const failed = err as Error;
    return fail(
      io,
      program,
      failed.message,
      err instanceof UsageError ? EXIT_USAGE : (exitCodeOf(failed) ?? EXIT_FAILURE),
    );
  }
}

/** The store the flags name (a bad --database-url is a {@link UsageError}); a relative --data-dir is from `io.cwd`. */
export function storeOptions(io: StoreCommandIo, flags: StoreFlags): EventStoreOptions {
  const databaseUrl = flags.databaseUrl ?? io.env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new UsageError(`--database-url must be a postgres:// or postgresql:// URL`);
  const dataDir = databaseUrl ? undefined : resolve(io.cwd, flags.dataDir ?? io.env.DATA_DIR ?? './data');
  return { databaseUrl, dataDir, onError: () => undefined };
}

/** Opens the store (`storeOptions`), runs `fn`, closes the store, whether `fn` succeeded or not. */
export async function withStore(
  io: StoreCommandIo,
  options: EventStoreOptions,
  fn: (handle: EventStoreHandle) => Promise<void>,
): Promise<void> {
  const open = io.openStore ?? createEventStore;
  const handle = await open(options);
  try {
    await fn(handle);
  } finally {
    await handle.store.close();
  }
}

function fail(io: StoreCommandIo, program: Command, message: string, code: number): number {
  io.stderr(`${program.name()}: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
  return code;
}
