import { join } from 'node:path';
import { describeWithService, ownBuild, type OwnBuild } from '@app/testing';
import type { verifyHashChains } from './chain-verifier';
import { postgresTamperingFixture, verifiesTampering } from './testing/tampering.scenarios';

/**
 * The verifier walking ranges of streams on worker threads, as it runs in the apps: the
 * threads load the compiled worker script, which only a build has (from the TypeScript
 * sources, under jest, the calling thread walks). So this suite compiles the libraries into
 * a build of its own and runs the tampering scenarios with that build's verifier: two
 * threads, ranges of about three events, batches of two (each range a few batches, a
 * stream split over none).
 */
describeWithService('DATABASE_URL', 'PostgreSQL', 'audit hash chains walked on worker threads', (serverUrl) => {
  let build: OwnBuild | undefined;
  let compiled: { verifyHashChains: typeof verifyHashChains };
  beforeAll(async () => {
    build = await ownBuild('verify-threads', ['libs']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    compiled = require(join(build.dir, 'libs', 'audit', 'src', 'chain-verifier.js'));
  });
  afterAll(() => build?.remove());

  let databaseUrl: string;
  const onThreads: typeof verifyHashChains = async (db, options) => {
    const report = await compiled.verifyHashChains(db, {
      databaseUrl,
      threads: 2,
      rangeEvents: 3,
      batchSize: 2,
      ...options,
    });
    // one stream is walked by the calling thread; every stream by the two threads
    expect({ streamId: report.streamId, threads: report.threads }).toEqual({
      streamId: report.streamId,
      threads: report.streamId === null ? 2 : 0,
    });
    return report;
  };

  verifiesTampering(
    'PostgreSQL, walked on two worker threads',
    async () => {
      const fixture = await postgresTamperingFixture(serverUrl);
      databaseUrl = fixture.databaseUrl;
      return fixture;
    },
    onThreads,
  );
});
