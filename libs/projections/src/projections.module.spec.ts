import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { toCaseStreamId } from '@app/case-domain';
import { CLOCK, ManualClock } from '@app/clock';
import { EVENT_STORE, EventStoreModule, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import { waitFor } from '@app/testing';
import { caseSummariesProjection, listCaseSummaries } from '@app/read-models';
import { UnknownProjection } from './projection.errors';
import type { ProjectionRegistry } from './projection.registry';
import { ProjectionsModule } from './projections.module';
import { PROJECTIONS } from './projections.tokens';
import { caseStory } from './testing/projection-test-kit';

const SETTINGS = Symbol('SETTINGS');

@Module({ providers: [{ provide: SETTINGS, useValue: { batchSize: 50 } }], exports: [SETTINGS] })
class SettingsModule {}

const appWith = async (autoStart?: boolean) => {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  @Module({ providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] })
  class ClockModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [
      ClockModule,
      EventStoreModule.forRootAsync({ useFactory: () => ({}) }),
      ProjectionsModule.forRootAsync({
        imports: [SettingsModule, ClockModule],
        inject: [SETTINGS],
        useFactory: (settings: { batchSize: number }) => ({
          projections: [caseSummariesProjection],
          autoStart,
          runner: { batchSize: settings.batchSize },
        }),
      }),
    ],
  }).compile();
  const app = await moduleRef.init();
  return { app, clock };
};

describe('ProjectionsModule', () => {
  it('starts the runners on bootstrap, provides them by name, and stops them on shutdown', async () => {
    const { app, clock } = await appWith();
    const registry = app.get<ProjectionRegistry>(PROJECTIONS);
    const runner = registry.get('case-summaries');
    try {
      expect(registry.names()).toEqual(['case-summaries']);
      expect(() => registry.get('nope')).toThrow(UnknownProjection);
      await waitFor(
        () => runner.status() === 'active',
        () => `status ${runner.status()}`,
      );

      const caseId = randomUUID();
      const appended = await app
        .get<EventStore>(EVENT_STORE)
        .appendToStream(toCaseStreamId(caseId), caseStory(caseId, 'assign'), 'no-stream');
      expect(await runner.waitForPosition(appended.checkpoint, 10_000)).toBe(true);
      const db = app.get<SqlDatabase>(SQL_DATABASE);
      expect((await listCaseSummaries(db)).items).toEqual([expect.objectContaining({ caseId, assigneeId: 'agent-7' })]);
      // the app's clock stamps the checkpoint
      const { rows } = await db.query<{ updated_at: Date }>(
        "SELECT updated_at FROM checkpoints WHERE component = 'projections'",
      );
      expect(new Date(rows[0].updated_at).toISOString()).toBe(clock.now().toISOString());
      expect(await registry.parkedCounts()).toEqual({ 'case-summaries': { streams: 0, events: 0 } });
    } finally {
      await app.close();
    }
    expect(runner.status()).toBe('stopped');
  });

  it('leaves the runners stopped when told another process runs them', async () => {
    const { app } = await appWith(false);
    try {
      const runner = app.get<ProjectionRegistry>(PROJECTIONS).get('case-summaries');
      expect(runner.status()).toBe('stopped');
      const caseId = randomUUID();
      const appended = await app
        .get<EventStore>(EVENT_STORE)
        .appendToStream(toCaseStreamId(caseId), caseStory(caseId), 'no-stream');
      expect(await runner.waitForPosition(appended.checkpoint, 50)).toBe(false);
      expect((await runner.lag()).events).toBe(1);
    } finally {
      await app.close();
    }
  });
});
