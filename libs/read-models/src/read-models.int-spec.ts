import { describeWithService } from '@app/testing';
import { postgresRunnerDatabase } from '../../projections/src/testing/runner-test-context';
import { readModelsSuite } from './testing/read-models.suite';

describeWithService('DATABASE_URL', 'PostgreSQL', 'read models on PostgreSQL', (serverUrl) =>
  readModelsSuite('PostgreSQL', () => postgresRunnerDatabase(serverUrl, 8)),
);
