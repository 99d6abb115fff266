import { createEventStore } from '@app/event-store';
import { eventStreamHubSuite } from '../../test/event-stream-hub.suite';

eventStreamHubSuite('PGlite', async () => {
  const handle = await createEventStore();
  return { handle, close: () => handle.store.close() };
});
