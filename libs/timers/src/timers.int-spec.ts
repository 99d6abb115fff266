import { createTestDatabase, describeWithService } from '@app/testing';
import { postgresBackend } from './testing/timers-harness';
import { timersRestartScenario, timersScenarios } from './testing/timers.scenarios';

// The same scenarios as timers.spec.ts (PGlite), on a real PostgreSQL server: here the two
// schedulers hold their own connection pools, so their claims and appends really race.
describeWithService('DATABASE_URL', 'PostgreSQL', 'timers on PostgreSQL', (url) => {
  const postgres = async () => {
    const db = await createTestDatabase(url);
    return postgresBackend(db.url, () => db.drop());
  };
  timersScenarios('PostgreSQL', postgres);
  timersRestartScenario('PostgreSQL', postgres);
});
