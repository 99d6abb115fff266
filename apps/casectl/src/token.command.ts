import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  issueLocalToken,
  lifetimeSeconds,
  loadOrCreateLocalSecret,
  type PrincipalClaims,
  type Role,
  ROLES,
  SUPPORT_PRIVILEGE,
  Unauthenticated,
} from '@app/auth';

/** Where the command writes and what it reads; the defaults are the process's. */
export interface TokenCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

const processIo: TokenCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

/** exit codes: 0 printed a token (or help), 1 could not read or create the secret, 2 bad arguments */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** a bad argument, reported as one line on stderr with exit code 2 */
class UsageError extends Error {}

interface Flags {
  role: Role;
  email?: string;
  sub?: string;
  org?: string;
  privilege: string[];
  vendor?: string;
  languages?: string[];
  regions?: string[];
  name?: string;
  expiresIn: string;
  dataDir?: string;
}

/** which flags each role needs (✓) and accepts at all */
const NEEDS: Record<Role, readonly (keyof Flags)[]> = {
  'support-admin': ['email', 'org'],
  'customer-admin': ['email', 'org'],
  agent: ['email', 'vendor', 'languages', 'regions'],
  supervisor: ['email'],
  auditor: ['email'],
  system: [],
};
const ROLE_SPECIFIC: readonly (keyof Flags)[] = ['org', 'vendor', 'languages', 'regions'];

const FLAG_OF: Record<string, string> = {
  email: '--email',
  sub: '--sub',
  org: '--org',
  privileges: '--privilege',
  vendor: '--vendor',
  languages: '--languages',
  regions: '--regions',
  name: '--name',
};

/**
 * `casectl token`: prints a signed local bearer token, and nothing else, on stdout, so
 * `TOKEN=$(node dist/apps/casectl/src/token.main.js --role agent …)` works. The secret comes
 * from AUTH_SECRET, else `<DATA_DIR or ./data>/auth-secret` (created if missing), exactly
 * as the api does in local mode. Returns the exit code.
 */
export async function runTokenCommand(argv: readonly string[], io: TokenCommandIo = processIo): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(argv, io);
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return EXIT_OK; // --help
    return fail(
      io,
      err instanceof CommanderError ? err.message.replace(/^error: /, '') : (err as Error).message,
      EXIT_USAGE,
    );
  }
  let claims: PrincipalClaims;
  let expiresIn: number;
  try {
    claims = toClaims(flags);
    expiresIn = lifetime(flags.expiresIn);
  } catch (err) {
    return fail(io, (err as Error).message, EXIT_USAGE);
  }

  let secret: Uint8Array;
  try {
    const dataDir = resolve(io.cwd, flags.dataDir ?? io.env.DATA_DIR ?? './data');
    secret = await loadOrCreateLocalSecret(dataDir, io.env.AUTH_SECRET);
  } catch (err) {
    return fail(io, (err as Error).message, EXIT_FAILURE);
  }
  try {
    io.stdout(`${await issueLocalToken(secret, claims, { expiresIn })}\n`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof Unauthenticated && err.claim) {
      // the claims parser names the claim; name the flag instead
      return fail(io, `${FLAG_OF[err.claim] ?? err.claim} ${err.message.replace(/^.*? claim /, '')}`, EXIT_USAGE);
    }
    return fail(io, (err as Error).message, EXIT_FAILURE);
  }
}

function parseFlags(argv: readonly string[], io: TokenCommandIo): Flags {
  const program = new Command('token')
    .description('Print a signed local bearer token for a principal (only the token, on stdout).')
    .addOption(new Option('--role <role>', "the principal's role").choices(ROLES).makeOptionMandatory())
    .option('--email <address>', 'e-mail address (all roles but system)')
    .option('--sub <id>', 'subject id; default the e-mail address')
    .option('--org <domain>', 'organisation domain, e.g. acme.example (customer roles)')
    .option('--privilege <name>', 'a privilege, repeatable (customer roles), e.g. support', collect, [])
    .option('--vendor <id>', 'support vendor id (agent)')
    .option('--languages <list>', 'comma-separated language codes, e.g. fr,en (agent)', csv)
    .option('--regions <list>', 'comma-separated region ids, e.g. emea (agent)', csv)
    .option('--name <display name>', 'the name customers are shown of staff, e.g. "Eve Martin" (optional)')
    .option('--expires-in <duration>', 'lifetime: seconds or 15m, 8h, 30d', '8h')
    .option('--data-dir <dir>', 'where auth-secret lives; default $DATA_DIR or ./data')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: () => undefined, outputError: () => undefined });
  program.parse([...argv], { from: 'user' });
  return program.opts<Flags>();
}

function toClaims(flags: Flags): PrincipalClaims {
  const { role } = flags;
  for (const name of NEEDS[role]) {
    if (flags[name] === undefined) throw new UsageError(`--role ${role} needs ${flagName(name)}`);
  }
  for (const name of ROLE_SPECIFIC) {
    if (flags[name] !== undefined && !NEEDS[role].includes(name)) {
      throw new UsageError(`${flagName(name)} does not apply to --role ${role}`);
    }
  }
  const customer = role === 'support-admin' || role === 'customer-admin';
  if (!customer && flags.privilege.length) throw new UsageError(`--privilege does not apply to --role ${role}`);
  // R1: the privilege, not the label, makes a support admin; keep the two consistent here
  const supportPrivilege = flags.privilege.includes(SUPPORT_PRIVILEGE);
  if (role === 'support-admin' && !supportPrivilege) {
    throw new UsageError(`--role support-admin needs --privilege ${SUPPORT_PRIVILEGE} (or use --role customer-admin)`);
  }
  if (role === 'customer-admin' && supportPrivilege) {
    throw new UsageError(`--role customer-admin holds no ${SUPPORT_PRIVILEGE} privilege (use --role support-admin)`);
  }
  const sub = flags.sub ?? flags.email ?? (role === 'system' ? 'system' : undefined);
  if (sub === undefined) throw new UsageError('--sub or --email is needed');
  return {
    role,
    sub,
    email: flags.email,
    org: flags.org,
    privileges: customer ? flags.privilege : undefined,
    vendor: flags.vendor,
    languages: flags.languages,
    regions: flags.regions,
    ...(flags.name === undefined ? {} : { name: flags.name }),
  };
}

function lifetime(value: string): number {
  try {
    return lifetimeSeconds(value);
  } catch {
    throw new UsageError(`--expires-in must be a number of seconds or like 15m, 8h, 30d (got "${value}")`);
  }
}

function fail(io: TokenCommandIo, message: string, code: number): number {
  io.stderr(`casectl token: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
  return code;
}

const flagName = (name: keyof Flags): string => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const collect = (value: string, previous: string[]): string[] => [...previous, value];
const csv = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
