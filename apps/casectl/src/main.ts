/**
 * casectl: the operator's command line (docs/architecture.md, "Processes"). Subcommands:
 *   casectl audit verify [--stream <id>] [--json]
 *   casectl audit replay <caseId> [--as-of <instant>]
 *   casectl audit export [--from <instant>] [--to <instant>] [--out <file.ndjson>]
 *   casectl audit checkpoint
 *   casectl token --role … (the same as token.main.ts)
 *   casectl projections list | rebuild <name|all> | parked [name] | retry <name> [--stream <id>]
 * Store flags (audit, projections): --database-url (or DATABASE_URL), --data-dir (or DATA_DIR, ./data).
 *
 *   npm run casectl -- audit verify        (npm run build first, or use the script)
 */
import { Command, CommanderError } from 'commander';
import { runAuditCommand } from './audit.command';
import { runTokenCommand } from './token.command';

type Run = (argv: readonly string[]) => Promise<number>;

/** Dispatches `casectl <command> …` to the command's own parser; resolves to the exit code. */
export async function runCasectl(
  argv: readonly string[],
  commands: Readonly<Record<string, Run>> = {
    audit: (rest) => runAuditCommand(rest),
    token: (rest) => runTokenCommand(rest),
    // loaded on demand: it brings every projection (and their libraries) with it
    projections: async (rest) => (await import('./projections.command')).runProjectionsCommand(rest),
  },
  stderr: (text: string) => void = (text) => process.stderr.write(text),
  stdout: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
  const [name, ...rest] = argv;
  const run = name === undefined ? undefined : commands[name];
  if (run) return run(rest);
  const program = new Command('casectl')
    .description('Support case backend: audit history, tokens for local use')
    .exitOverride()
    .configureOutput({ writeOut: stdout, writeErr: stderr, outputError: () => undefined });
  program.command('audit').description('verify | replay | export | checkpoint (casectl audit --help)');
  program.command('token').description('print a signed local bearer token (casectl token --help)');
  program
    .command('projections')
    .description('list | rebuild | parked | retry the read models (casectl projections --help)');
  try {
    program.parse([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return 0; // --help
    // no command at all: commander printed the help on stderr
    if (err instanceof CommanderError && err.code === 'commander.help') return 2;
    stderr(`casectl: ${(err as Error).message.replace(/^error: /, '')}\n`);
    return 2;
  }
}

if (require.main === module) {
  void runCasectl(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
