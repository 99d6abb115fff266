import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { secretBytes } from './auth.constants';

/** The file under the data directory that holds the generated local secret. */
export const LOCAL_SECRET_FILE = 'auth-secret';

/**
 * The HS256 secret for local tokens: `envSecret` (AUTH_SECRET) when given, else the
 * content of `<dataDir>/auth-secret`, created on first start (48 random bytes,
 * base64url, mode 0600). Either way the key is the UTF-8 bytes of that text, so
 * `AUTH_SECRET=$(cat data/auth-secret)` signs and verifies the same tokens.
 *
 * This library reads no environment: the caller passes AUTH_SECRET (the apps `config.auth.secret`).
 * @throws TypeError when the secret is shorter than 32 bytes
 */
export async function loadOrCreateLocalSecret(dataDir: string, envSecret?: string): Promise<Uint8Array> {
  if (envSecret !== undefined && envSecret !== '') return checked(envSecret, 'AUTH_SECRET');
  const file = join(dataDir, LOCAL_SECRET_FILE);
  const existing = await readSecret(file);
  if (existing !== undefined) return checked(existing, file);

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  // Write a private temporary file, then link it into place: link() fails if the file
  // exists, so two processes starting together agree on one secret, and no reader ever
  // sees a half-written file (which writeFile with flag 'wx' would allow).
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${secret}\n`, { mode: 0o600 });
  try {
    await chmod(tmp, 0o600); // the mode above is subject to umask; make it exact
    await link(tmp, file);
    return checked(secret, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return checked((await readSecret(file)) ?? '', file); // another process won the race
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readSecret(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const checked = (secret: string, source: string): Uint8Array =>
  secretBytes(secret, `The local token secret from ${source}`);
