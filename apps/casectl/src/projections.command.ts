import type { Command } from 'commander';
import { ConfigurationError, loadAppConfig } from '@app/config';
import { ProjectionRegistry, ProjectionRunner, type Projection } from '@app/projections';
import { SlaService } from '@app/sla';
import { allProjections } from '@app/workers';
import {
  EXIT_NEGATIVE,
  EXIT_OK,
  EXIT_USAGE,
  processIo,
  runStoreProgram,
  storeOptions,
  storeProgram,
  UsageError,
  withStore,
  type StoreCommandIo,
  type StoreFlags,
} from './store-command';

/**
 * `casectl projections …`: the read models' runners from the command line
 * (docs/projections.md): list them with their lag, rebuild one (or all) from the start of
 * the log into fresh tables while the old ones keep serving, list and retry parked events.
 * It opens the store itself: PostgreSQL at --database-url (or DATABASE_URL), else the
 * embedded store in --data-dir (or DATA_DIR, or ./data), which has one process: stop the API
 * that uses that directory first (while it runs, opening the store fails with DataDirInUse,
 * one line naming its pid, exit code 3). The calendars (for the reports' business time) come from
 * CALENDARS_DIR and SLA_POLICY_FILE, as the app reads them.
 */
export interface ProjectionsCommandIo extends StoreCommandIo {
  /** the projections; default: the app's (`allProjections` with the configured calendars) */
  readonly projections?: readonly Projection[];
}

/** exit codes: 0 done; 1 there are parked events (list/parked), or a retry left some parked; 2 bad arguments; 3 could not run */
export { EXIT_OK, EXIT_NEGATIVE, EXIT_USAGE, EXIT_FAILURE } from './store-command';

/** Runs `casectl projections <argv>`; resolves to the exit code. */
export async function runProjectionsCommand(
  argv: readonly string[],
  io: ProjectionsCommandIo = processIo,
): Promise<number> {
  return runStoreProgram(
    argv,
    io,
    (setExit) => projectionsProgram(io, setExit),
    (err) => (err instanceof ConfigurationError ? EXIT_USAGE : undefined),
  );
}

/** The `projections` command with its subcommands; `setExit` receives each action's exit code. */
export function projectionsProgram(io: ProjectionsCommandIo, setExit: (code: number) => void): Command {
  const { program, command } = storeProgram('projections', 'The read models: lag, rebuild, parked events', io);
  const flags = () => program.opts<StoreFlags>();

  command('list')
    .description(
      'Every projection with its checkpoint, lag (events, seconds) and parked events; exit 1 if any are parked',
    )
    .action(async () => {
      await withRegistry(io, flags(), async (registry) => {
        let parked = 0;
        for (const runner of registry.all()) {
          const [lag, counts] = await Promise.all([runner.lag(), runner.parked()]);
          parked += counts.events;
          io.stdout(
            `${runner.name}: position ${lag.checkpoint.globalPosition}, ${lag.events} events behind (${lag.seconds.toFixed(1)} s), ${counts.events} parked in ${counts.streams} streams\n`,
          );
        }
        setExit(parked > 0 ? EXIT_NEGATIVE : EXIT_OK);
      });
    });

  command('rebuild')
    .description('Rebuild a projection (or all) from the start of the log into fresh tables, then swap them in')
    .argument('<name>', `a projection's name, or "all"`)
    .option(
      '--batch-size <n>',
      'events per transaction (the more, the fewer writes per event)',
      (v) => positiveInt('--batch-size', v),
      5000,
    )
    .action(async (name: string, opts: { batchSize: number }) => {
      await withRegistry(io, flags(), async (registry) => {
        const runners = selected(registry, name);
        const started = Date.now();
        const reported = new Map<string, number>();
        // all of them: one read of the log for the passes stream by stream (docs/projections.md)
        const results = await ProjectionRunner.rebuildAll(runners, {
          batchSize: opts.batchSize,
          onProgress: ({ projection, events }) => {
            if (events - (reported.get(projection) ?? 0) >= 50_000) {
              reported.set(projection, events);
              io.stderr(`${projection}: ${events} events…\n`);
            }
          },
        });
        const seconds = `${((Date.now() - started) / 1000).toFixed(1)} s`;
        runners.forEach((runner, i) => {
          const result = results[i];
          io.stdout(
            `rebuilt ${runner.name}: generation ${result.generation} (version ${result.version}), ${result.events} events${
              runners.length === 1 ? ` in ${seconds}` : ''
            }${result.swapped ? '' : ' (another process swapped it in first)'}\n`,
          );
        });
        if (runners.length > 1) io.stdout(`rebuilt ${runners.length} projections in ${seconds}\n`);
      });
    });

  command('parked')
    .description('The parked events of a projection (or all), the failed one of each stream with its error')
    .argument('[name]', `a projection's name; default all`)
    .option('--limit <n>', 'at most this many per projection', (v) => positiveInt('--limit', v), 100)
    .action(async (name: string | undefined, opts: { limit: number }) => {
      await withRegistry(io, flags(), async (registry) => {
        let parked = 0;
        for (const runner of selected(registry, name ?? 'all')) {
          for (const event of await runner.listParked(opts.limit)) {
            parked += 1;
            io.stdout(`${runner.name}\t${JSON.stringify(event)}\n`);
          }
        }
        setExit(parked > 0 ? EXIT_NEGATIVE : EXIT_OK);
      });
    });

  command('retry')
    .description('Apply the parked events of a projection again (all streams, or one)')
    .argument('<name>', `a projection's name`)
    .option('--stream <id>', 'one stream only, e.g. case-<id>')
    .action(async (name: string, opts: { stream?: string }) => {
      await withRegistry(io, flags(), async (registry) => {
        const runner = selected(registry, name)[0];
        const result = await runner.retryParked(opts.stream);
        io.stdout(`${runner.name}: ${JSON.stringify(result)}\n`);
        setExit((await runner.parked()).events > 0 ? EXIT_NEGATIVE : EXIT_OK);
      });
    });

  return program;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer`);
  return n;
}

function selected(registry: ProjectionRegistry, name: string) {
  if (name === 'all') return registry.all();
  if (!registry.names().includes(name))
    throw new UsageError(`no projection ${JSON.stringify(name)}; the projections are ${registry.names().join(', ')}`);
  return [registry.get(name)];
}

/** Opens the store, builds the app's runners over it (not started: each command drives them), runs `fn`, closes. */
async function withRegistry(
  io: ProjectionsCommandIo,
  flags: StoreFlags,
  fn: (registry: ProjectionRegistry) => Promise<void>,
): Promise<void> {
  const options = storeOptions(io, flags);
  const projections =
    io.projections ??
    allProjections(SlaService.load(loadAppConfig({ ...io.env, DATABASE_URL: options.databaseUrl }).sla));
  await withStore(io, options, async (handle) => {
    const registry = new ProjectionRegistry(
      projections.map(
        (projection) =>
          new ProjectionRunner(projection, {
            store: handle.store,
            db: handle.db,
            onError: (e) => io.stderr(`casectl projections: ${projection.name}: ${e.message}\n`),
          }),
      ),
    );
    try {
      await fn(registry);
    } finally {
      await registry.stopAll();
    }
  });
}
