import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenVerifier, loadOrCreateLocalSecret } from '@app/auth';
import { decodeJwt } from 'jose';
import { runTokenCommand } from './token.command';

describe('casectl token', () => {
  let cwd: string;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'casectl-token-'));
  });
  afterEach(() => rm(cwd, { recursive: true, force: true }));

  const run = async (args: string, env: Record<string, string | undefined> = {}) => {
    const out = { stdout: '', stderr: '' };
    const code = await runTokenCommand(args.split(' ').filter(Boolean), {
      stdout: (text) => (out.stdout += text),
      stderr: (text) => (out.stderr += text),
      env,
      cwd,
    });
    return { code, ...out };
  };
  /** what the app would do with the printed token, with the same DATA_DIR / AUTH_SECRET */
  const verify = async (stdout: string, dataDir: string, authSecret?: string) =>
    createTokenVerifier({ mode: 'local', secret: await loadOrCreateLocalSecret(dataDir, authSecret) }).verify(
      stdout.trim(),
    );

  it.each([
    [
      '--role support-admin --org acme.example --email ana@acme.example --privilege support',
      {
        role: 'support-admin',
        sub: 'ana@acme.example',
        email: 'ana@acme.example',
        org: 'acme.example',
        privileges: ['support'],
      },
    ],
    [
      '--role customer-admin --org acme.example --email bob@acme.example',
      {
        role: 'customer-admin',
        sub: 'bob@acme.example',
        email: 'bob@acme.example',
        org: 'acme.example',
        privileges: [],
      },
    ],
    [
      '--role agent --vendor north-desk --languages fr,en --regions emea --email eve@north.example --sub agent-17',
      {
        role: 'agent',
        sub: 'agent-17',
        email: 'eve@north.example',
        vendor: 'north-desk',
        languages: ['fr', 'en'],
        regions: ['emea'],
      },
    ],
    [
      '--role supervisor --email sam@desk.example',
      { role: 'supervisor', sub: 'sam@desk.example', email: 'sam@desk.example' },
    ],
    [
      '--role supervisor --email sam@desk.example --name Sam',
      { role: 'supervisor', sub: 'sam@desk.example', email: 'sam@desk.example', name: 'Sam' },
    ],
    [
      '--role auditor --email aud@desk.example',
      { role: 'auditor', sub: 'aud@desk.example', email: 'aud@desk.example' },
    ],
    ['--role system --sub sla-timer', { role: 'system', sub: 'sla-timer' }],
  ])('%s prints only a token the app accepts, with those claims', async (args, principal) => {
    const { code, stdout, stderr } = await run(args, { DATA_DIR: 'state' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    await expect(verify(stdout, join(cwd, 'state'))).resolves.toEqual(principal);
  });

  it('uses ./data when DATA_DIR is not set, and the same secret on the next run', async () => {
    const first = await run('--role supervisor --email sam@desk.example');
    const second = await run('--role auditor --email aud@desk.example');
    await expect(verify(first.stdout, join(cwd, 'data'))).resolves.toMatchObject({ role: 'supervisor' });
    await expect(verify(second.stdout, join(cwd, 'data'))).resolves.toMatchObject({ role: 'auditor' });
  });

  it('signs with AUTH_SECRET when it is set', async () => {
    const authSecret = 'cli-secret-0123456789-0123456789-0123456789';
    const { stdout } = await run('--role supervisor --email sam@desk.example', { AUTH_SECRET: authSecret });
    await expect(verify(stdout, join(cwd, 'unused'), authSecret)).resolves.toMatchObject({ sub: 'sam@desk.example' });
    await expect(verify(stdout, join(cwd, 'data'))).rejects.toMatchObject({ reason: 'invalid-signature' });
  });

  it('sets the lifetime from --expires-in (default 8h)', async () => {
    const short = decodeJwt((await run('--role supervisor --email s@desk.example --expires-in 15m')).stdout.trim());
    expect(short.exp! - short.iat!).toBe(900);
    const byDefault = decodeJwt((await run('--role supervisor --email s@desk.example')).stdout.trim());
    expect(byDefault.exp! - byDefault.iat!).toBe(8 * 3600);
  });

  it.each([
    ['', "required option '--role <role>' not specified"],
    ['--role boss --email b@acme.example', "option '--role <role>' argument 'boss' is invalid"],
    ['--role supervisor --email sam@desk.example --colour blue', "unknown option '--colour'"],
    ['--role supervisor --email sam@desk.example extra', 'too many arguments'],
    ['--role supervisor', '--role supervisor needs --email'],
    ['--role agent --email eve@north.example --vendor north --regions emea', '--role agent needs --languages'],
    ['--role customer-admin --email bob@acme.example', '--role customer-admin needs --org'],
    ['--role supervisor --email sam@desk.example --org acme.example', '--org does not apply to --role supervisor'],
    [
      '--role agent --email e@n.example --vendor n --languages fr --regions emea --privilege support',
      '--privilege does not apply',
    ],
    [
      '--role support-admin --org acme.example --email ana@acme.example',
      '--role support-admin needs --privilege support',
    ],
    [
      '--role customer-admin --org acme.example --email bob@acme.example --privilege support',
      'use --role support-admin',
    ],
    [
      '--role support-admin --org acme --email ana@acme.example --privilege support',
      '--org must be an organisation domain',
    ],
    ['--role supervisor --email not-an-address', '--email must be an e-mail address'],
    [
      '--role agent --email e@n.example --vendor n --languages fr!! --regions emea',
      '--languages must be a non-empty list',
    ],
    ['--role supervisor --email sam@desk.example --expires-in forever', '--expires-in must be'],
  ])('refuses %p with one line on stderr and exit 2', async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^casectl token: [^\n]+\n$/);
    expect(stderr).toContain(message);
  });

  it('prints help on stdout and exits 0', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--role <role>');
  });

  it('exits 1 when AUTH_SECRET is too short to sign with', async () => {
    const { code, stdout, stderr } = await run('--role supervisor --email sam@desk.example', { AUTH_SECRET: 'short' });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^casectl token: .*AUTH_SECRET must be at least 32 bytes/);
  });
});
