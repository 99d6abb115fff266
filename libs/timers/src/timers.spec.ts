import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgliteBackend } from './testing/timers-harness';
import { timersRestartScenario, timersScenarios } from './testing/timers.scenarios';

const pglite = async ({ persistent }: { persistent: boolean }) => {
  if (!persistent) return pgliteBackend();
  const dir = mkdtempSync(join(tmpdir(), 'timers-'));
  const backend = pgliteBackend(dir);
  return { ...backend, dispose: async () => (await backend.dispose(), rmSync(dir, { recursive: true, force: true })) };
};

timersScenarios('PGlite', pglite);
timersRestartScenario('PGlite', pglite);
