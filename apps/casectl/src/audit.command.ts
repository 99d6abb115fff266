import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { Command, Option } from 'commander';
import {
  AuditError,
  caseTimeline,
  exportLog,
  parseInstant,
  readCaseAsOf,
  recordAuditAccess,
  renderTimeline,
  takeAuditCheckpoint,
  verifyHashChains,
  type VerifyReport,
} from '@app/audit';
import type { EventStoreHandle } from '@app/event-store';
import {
  EXIT_NEGATIVE,
  EXIT_OK,
  EXIT_USAGE,
  processIo as storeProcessIo,
  runStoreProgram,
  storeOptions,
  storeProgram,
  withStore,
  type StoreCommandIo,
  type StoreFlags,
} from './store-command';

/**
 * `casectl audit …`: verify the hash chains, replay a case, export the log, take a
 * checkpoint (docs/audit.md). It opens the store itself: PostgreSQL at --database-url (or
 * DATABASE_URL), else the embedded store in --data-dir (or DATA_DIR, or ./data). The
 * embedded store has one writer: stop the API that uses that directory first.
 * Every read is recorded in the day's audit-access stream, as the API records its own.
 */
export interface AuditCommandIo extends StoreCommandIo {
  /** where `export` writes without --out, with back-pressure; default `stdout` */
  readonly stdoutStream?: NodeJS.WritableStream;
  readonly now?: () => Date;
}

/** exit codes: 0 done; 1 the answer is no (a broken chain, an unknown case); 2 bad arguments; 3 could not run */
export { EXIT_OK, EXIT_NEGATIVE, EXIT_USAGE, EXIT_FAILURE } from './store-command';

const processIo: AuditCommandIo = { ...storeProcessIo, stdoutStream: process.stdout };

interface AuditFlags extends StoreFlags {
  as?: string;
}

/** Runs `casectl audit <argv>`; resolves to the exit code. */
export async function runAuditCommand(argv: readonly string[], io: AuditCommandIo = processIo): Promise<number> {
  return runStoreProgram(
    argv,
    io,
    (setExit) => auditProgram(io, setExit),
    (err) => {
      if (err instanceof AuditError && err.status === 400) return EXIT_USAGE;
      if (err instanceof AuditError && err.status === 404) return EXIT_NEGATIVE;
      return undefined;
    },
  );
}

/** The `audit` command with its subcommands; `setExit` receives each action's exit code. */
export function auditProgram(io: AuditCommandIo, setExit: (code: number) => void): Command {
  const { program, command } = storeProgram('audit', 'Tamper evidence and point-in-time replay of the case log', io);
  program.addOption(
    new Option('--as <name>', 'who is reading, as recorded in the audit-access stream; default the OS user'),
  );
  const flags = () => program.opts<AuditFlags>();

  command('verify')
    .description('Walk the hash chains (all, or one stream) and the latest checkpoint; exit 1 at a broken link')
    .option('--stream <id>', 'one stream only, e.g. case-<id>')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { stream?: string; json?: boolean }) => {
      const resource = `casectl audit verify${opts.stream ? ` --stream ${opts.stream}` : ''}`;
      const { databaseUrl } = storeOptions(io, flags());
      await withAuditedStore(io, flags(), 'audit.verify', resource, async ({ db }) => {
        // on PostgreSQL, every stream is walked in ranges on worker threads
        const report = await verifyHashChains(db, { streamId: opts.stream, databaseUrl });
        io.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
        setExit(report.ok ? EXIT_OK : EXIT_NEGATIVE);
      });
    });

  command('replay')
    .description('Print the timeline of a case: time, actor, event, what changed')
    .argument('<caseId>', 'the case id (not the stream id)')
    .option('--as-of <instant>', 'stop at this moment (ISO 8601 with a time zone); default now')
    .action(async (caseId: string, opts: { asOf?: string }) => {
      const asOf = opts.asOf === undefined ? (io.now?.() ?? new Date()) : parseInstant('--as-of', opts.asOf);
      const resource = `casectl audit replay ${caseId}${opts.asOf ? ` --as-of ${opts.asOf}` : ''}`;
      await withAuditedStore(io, flags(), 'audit.read', resource, async ({ store }) => {
        const { view, events } = await readCaseAsOf(store, caseId, asOf);
        io.stdout(
          `case ${caseId} as of ${asOf.toISOString()}: ${view.status}, ${view.priority}, ${view.language}, version ${view.version}\n`,
        );
        for (const line of renderTimeline(caseTimeline(events))) io.stdout(`${line}\n`);
      });
    });

  command('export')
    .description('Stream the log recorded in [--from, --to) as NDJSON, one event per line with its hash')
    .option('--from <instant>', 'recorded at or after (ISO 8601 with a time zone)')
    .option('--to <instant>', 'recorded before (ISO 8601 with a time zone)')
    .option('--out <file>', 'write here (default: stdout)')
    .action(async (opts: { from?: string; to?: string; out?: string }) => {
      const from = opts.from === undefined ? undefined : parseInstant('--from', opts.from);
      const to = opts.to === undefined ? undefined : parseInstant('--to', opts.to);
      const resource = `casectl audit export${opts.from ? ` --from ${opts.from}` : ''}${opts.to ? ` --to ${opts.to}` : ''}`;
      await withAuditedStore(io, flags(), 'audit.export', resource, async ({ db }) => {
        const file = opts.out ? createWriteStream(resolve(io.cwd, opts.out)) : undefined;
        const out = file ?? io.stdoutStream;
        let count = 0;
        for await (const event of exportLog(db, { from, to })) {
          const line = `${JSON.stringify(event)}\n`;
          count += 1;
          // honour back-pressure: the log may be far larger than memory
          if (!out) io.stdout(line);
          else if (!out.write(line)) await once(out, 'drain');
        }
        if (file) {
          file.end();
          await finished(file);
        }
        io.stderr(`exported ${count} events${opts.out ? ` to ${opts.out}` : ''}\n`);
      });
    });

  command('checkpoint')
    .description("Record a checkpoint of all chains' heads now (the API takes one every 15 minutes)")
    .action(async () => {
      await withAuditedStore(io, flags(), undefined, undefined, async ({ store, db }) => {
        const result = await takeAuditCheckpoint(store, db, {
          now: io.now?.() ?? new Date(),
          metadata: { actor: { id: reader(io, flags()), role: 'operator' } },
        });
        const { checkpoint } = result;
        io.stdout(
          result.taken
            ? `checkpoint at position ${result.appended.globalPositions[0]}: ${checkpoint.streams} streams, ${checkpoint.events} events, heads ${checkpoint.headsDigest}\n`
            : `no checkpoint: ${result.reason}\n`,
        );
      });
    });

  return program;
}

const reader = (io: AuditCommandIo, flags: AuditFlags): string => flags.as ?? io.env.USER ?? userInfo().username;

/** Opens the store, records the read (when `action` is given), runs `fn`, closes the store. */
async function withAuditedStore(
  io: AuditCommandIo,
  flags: AuditFlags,
  action: string | undefined,
  resource: string | undefined,
  fn: (handle: EventStoreHandle) => Promise<void>,
): Promise<void> {
  await withStore(io, storeOptions(io, flags), async (handle) => {
    if (action && resource)
      await recordAuditAccess(handle.store, {
        reader: { id: reader(io, flags), role: 'operator' },
        action,
        resource,
        at: io.now?.() ?? new Date(),
      });
    await fn(handle);
  });
}

function renderReport(r: VerifyReport): string {
  const lines = [
    `verified ${r.events} events in ${r.streams} streams${r.streamId ? ` (stream ${r.streamId})` : ''} in ${(r.durationMs / 1000).toFixed(1)} s` +
      (r.unchained ? `; ${r.unchained} written before the chain existed` : ''),
  ];
  if (r.checkpoint) {
    const c = r.checkpoint;
    lines.push(
      `checkpoint at position ${c.globalPosition} (${c.recordedAt}, covering ${c.recorded.events} events of ${c.recorded.streams} streams): ${c.matches ? 'matches' : 'DOES NOT MATCH'}`,
    );
  } else if (!r.streamId)
    lines.push('no checkpoint yet: a removed tail would go unnoticed (casectl audit checkpoint takes one)');
  if (r.ok) lines.push('OK: every chain is intact');
  for (const b of r.breaks) {
    lines.push(`BROKEN (${b.kind}): ${b.detail}`);
    if (b.expectedHash || b.foundHash)
      lines.push(`  expected ${b.expectedHash ?? '-'}`, `  found    ${b.foundHash ?? '-'}`);
  }
  if (r.moreBreaks) lines.push('… and more broken streams (see --json, or verify each with --stream)');
  return `${lines.join('\n')}\n`;
}
