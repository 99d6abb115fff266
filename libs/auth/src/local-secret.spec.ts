import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_SECRET_FILE, loadOrCreateLocalSecret } from './local-secret';

describe('loadOrCreateLocalSecret', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'auth-secret-')), 'data');
  });
  afterEach(() => rm(join(dataDir, '..'), { recursive: true, force: true }));

  it('creates <dataDir>/auth-secret once, mode 0600, at least 32 bytes, and reuses it', async () => {
    const first = await loadOrCreateLocalSecret(dataDir);
    const file = join(dataDir, LOCAL_SECRET_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.length).toBeGreaterThanOrEqual(32);
    const content = await readFile(file, 'utf8');

    const second = await loadOrCreateLocalSecret(dataDir);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(content);
    expect(Buffer.from(first).toString('utf8')).toBe(content.trim());
  });

  it('agrees on one secret when several processes start at once', async () => {
    const secrets = await Promise.all([1, 2, 3, 4, 5].map(() => loadOrCreateLocalSecret(dataDir)));
    expect(new Set(secrets.map((s) => Buffer.from(s).toString('hex'))).size).toBe(1);
  });

  it('uses AUTH_SECRET when given, and then creates no file', async () => {
    await loadOrCreateLocalSecret(dataDir); // a file exists: AUTH_SECRET still wins
    const envSecret = 'an-env-secret-that-is-long-enough-0123456789';
    expect(Buffer.from(await loadOrCreateLocalSecret(dataDir, envSecret)).toString()).toBe(envSecret);

    const otherDir = join(dataDir, 'other');
    await loadOrCreateLocalSecret(otherDir, envSecret);
    await expect(stat(join(otherDir, LOCAL_SECRET_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('ignores an empty AUTH_SECRET', async () => {
    await loadOrCreateLocalSecret(dataDir, '');
    await expect(stat(join(dataDir, LOCAL_SECRET_FILE))).resolves.toBeDefined();
  });

  it('refuses a secret shorter than 32 bytes, from AUTH_SECRET or the file', async () => {
    await expect(loadOrCreateLocalSecret(dataDir, 'short')).rejects.toThrow(/AUTH_SECRET must be at least 32 bytes/);
    await loadOrCreateLocalSecret(dataDir);
    await writeFile(join(dataDir, LOCAL_SECRET_FILE), 'short\n');
    await expect(loadOrCreateLocalSecret(dataDir)).rejects.toThrow(/auth-secret must be at least 32 bytes/);
  });
});
