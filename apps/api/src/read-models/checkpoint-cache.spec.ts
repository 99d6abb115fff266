import type { LogCheckpoint } from '@app/event-store';
import type { ProjectionRegistry } from '@app/projections';
import { CheckpointCache } from './checkpoint-cache';

describe('CheckpointCache', () => {
  let at: LogCheckpoint | undefined;
  let computed: number;
  const registry = {
    get: (name: string) => {
      expect(name).toBe('case-queue');
      return { storedCheckpoint: () => Promise.resolve(at) };
    },
  } as unknown as ProjectionRegistry;
  const compute = () => Promise.resolve(`answer ${++computed}`);
  let cache: CheckpointCache<string>;

  beforeEach(() => {
    at = { transactionId: '100', globalPosition: 7 };
    computed = 0;
    cache = new CheckpointCache(registry, 'case-queue', { maxAgeMs: 1_000, maxEntries: 2 });
  });

  it('answers from the cache while the read model stands at the same checkpoint, within the age', async () => {
    await expect(cache.get('k', 0, compute)).resolves.toBe('answer 1');
    await expect(cache.get('k', 999, compute)).resolves.toBe('answer 1');
    await expect(cache.get('other', 999, compute)).resolves.toBe('answer 2');
  });

  it('computes again once the projection applied an event, or the answer is too old', async () => {
    await cache.get('k', 0, compute);
    at = { transactionId: '101', globalPosition: 8 };
    await expect(cache.get('k', 1, compute)).resolves.toBe('answer 2');
    await expect(cache.get('k', 1_001, compute)).resolves.toBe('answer 3');
  });

  it('shares one computation between requests that miss at once', async () => {
    let release = (_: string) => undefined as void;
    const slow = jest.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const both = Promise.all([cache.get('k', 0, slow), cache.get('k', 0, slow)]);
    await new Promise((resolve) => setImmediate(resolve));
    release('shared');
    await expect(both).resolves.toEqual(['shared', 'shared']);
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it('keeps no failed computation', async () => {
    await expect(cache.get('k', 0, () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    await expect(cache.get('k', 0, compute)).resolves.toBe('answer 1');
  });

  it('keeps nothing while the read model is not built (and builds nothing: the answer’s own read says NOT_READY)', async () => {
    at = undefined;
    await expect(cache.get('k', 0, compute)).resolves.toBe('answer 1');
    await expect(cache.get('k', 0, compute)).resolves.toBe('answer 2');
  });

  it('drops the least recently used answer beyond its size', async () => {
    await cache.get('a', 0, compute); // answer 1
    await cache.get('b', 0, compute); // answer 2
    await cache.get('a', 0, compute); // a used again: b is now the oldest
    await cache.get('c', 0, compute); // answer 3: b dropped
    await expect(cache.get('a', 0, compute)).resolves.toBe('answer 1');
    await expect(cache.get('b', 0, compute)).resolves.toBe('answer 4');
  });
});
