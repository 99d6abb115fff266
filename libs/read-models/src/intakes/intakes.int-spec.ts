import { describeWithService } from '@app/testing';
import { postgresRunnerDatabase } from '../../../projections/src/testing/runner-test-context';
import { intakesSuite } from '../testing/intakes.suite';

describeWithService('DATABASE_URL', 'PostgreSQL', 'intakes on PostgreSQL', (serverUrl) =>
  intakesSuite('PostgreSQL', () => postgresRunnerDatabase(serverUrl, 4)),
);
