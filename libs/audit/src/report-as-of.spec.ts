import { ManualClock } from '@app/clock';
import { createEventStore } from '@app/event-store';
import { replaysReports } from './testing/report-as-of.scenarios';

replaysReports('PGlite', async () => {
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  const { store, db } = await createEventStore({ clock });
  return { store, db, clock, close: () => store.close() };
});
