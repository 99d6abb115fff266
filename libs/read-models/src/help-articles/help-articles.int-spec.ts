import { describeWithService } from '@app/testing';
import { postgresRunnerDatabase } from '../../../projections/src/testing/runner-test-context';
import { helpArticlesSuite } from '../testing/help-articles.suite';

describeWithService('DATABASE_URL', 'PostgreSQL', 'help articles on PostgreSQL', (serverUrl) =>
  helpArticlesSuite('PostgreSQL', () => postgresRunnerDatabase(serverUrl, 4)),
);
