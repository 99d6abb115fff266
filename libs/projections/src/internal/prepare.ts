import type { Clock } from '@app/clock';
import { migrate, type SqlDatabase } from '@app/event-store';
import type { Projection } from '../projection';
import { ProjectionVersionAhead } from '../projection.errors';
import { PROJECTIONS_COMPONENT, PROJECTIONS_MIGRATIONS } from '../projections.migrations';
import { createGeneration, dropGeneration, pointViews, readGeneration, retiredGenerations } from './generations';
import { lock } from './locks';

/**
 * Applies the runner's migrations and creates the projection's first generation (tables,
 * views, checkpoint at the start of the log) if it has none. An older active generation is
 * left for the runner to rebuild; a newer one means this code is too old, and is refused.
 * Drops the tables of generations a crash left retired.
 */
export const prepareProjection = async (db: SqlDatabase, projection: Projection, clock: Clock): Promise<void> => {
  await migrateProjections(db);
  await db.transaction(async (tx) => {
    // two processes starting together: the second waits here, then finds the first's generation
    await lock(tx, projection.name, 'active');
    const active = await readGeneration(tx, projection.name, 'active');
    if (active) {
      if (active.version > projection.version)
        throw new ProjectionVersionAhead(projection.name, projection.version, active.version);
      return;
    }
    await pointViews(tx, await createGeneration(tx, projection, 'active', clock.now()));
  });
  await dropRetired(db, projection.name);
};

/** The runner's own tables (generations, parked events), without any projection's. */
export const migrateProjections = async (db: SqlDatabase): Promise<void> => {
  await migrate(db, { component: PROJECTIONS_COMPONENT, migrations: PROJECTIONS_MIGRATIONS });
};

/**
 * Drops the tables of retired generations, one transaction each. Apart from the swap, so
 * that the swap never waits for a slow reader of the old tables: DROP waits for them here.
 */
export const dropRetired = async (db: SqlDatabase, projection: string): Promise<void> => {
  for (const generation of await retiredGenerations(db, projection))
    await db.transaction((tx) => dropGeneration(tx, generation));
};
