import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The repository's root (this file is libs/testing/src/own-build.ts). */
const ROOT = join(__dirname, '..', '..', '..');

export interface OwnBuild {
  /** where the compiled tree is: `<dir>/libs/audit/src/index.js` and so on */
  readonly dir: string;
  remove(): void;
}

/**
 * A build of this run's own of `apps` and `libs` (as `npm run build:server` compiles them,
 * with swc), under `dist/` so the compiled files find the repository's node_modules. For
 * the tests that need compiled JavaScript: child processes, worker threads. Its own
 * directory: `dist/` itself may be rebuilt meanwhile by `npm start` elsewhere.
 */
export const ownBuild = async (name: string, sources: readonly string[] = ['apps', 'libs']): Promise<OwnBuild> => {
  const dir = join(ROOT, 'dist', `${name}-${randomUUID()}`);
  await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/swc'),
    [
      ...sources,
      '-d',
      dir,
      '--only',
      '**/*.ts',
      '--ignore',
      '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts,**/test/*.ts,apps/console/**',
      '-q',
    ],
    { cwd: ROOT },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
};
