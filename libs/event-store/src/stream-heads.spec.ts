import { StreamHeads } from './stream-heads';

const hash = (n: number) => Buffer.alloc(32, n);

describe('StreamHeads', () => {
  it('answers a hash only for the version it knows as the head', () => {
    const heads = new StreamHeads();
    heads.remember('s', { version: 3, hash: hash(3) });
    expect(heads.hashAt('s', 3)).toEqual(hash(3));
    expect(heads.hashAt('s', 2)).toBeUndefined();
    expect(heads.hashAt('s', 4)).toBeUndefined();
    expect(heads.hashAt('other', 3)).toBeUndefined();
  });

  it('never moves a head backwards, and forgets it only when the stream is known to be past it', () => {
    const heads = new StreamHeads();
    heads.remember('s', { version: 5, hash: hash(5) });
    heads.remember('s', { version: 4, hash: hash(4) });
    expect(heads.hashAt('s', 5)).toEqual(hash(5));
    heads.forget('s', 4);
    expect(heads.hashAt('s', 5)).toEqual(hash(5));
    heads.forget('s', 5);
    expect(heads.hashAt('s', 5)).toBeUndefined();
  });

  it('forgets the least recently used stream beyond its capacity, and remembers none at 0', () => {
    const heads = new StreamHeads(2);
    heads.remember('a', { version: 1, hash: hash(1) });
    heads.remember('b', { version: 1, hash: hash(2) });
    heads.hashAt('a', 1); // a is now the most recently used
    heads.remember('c', { version: 1, hash: hash(3) });
    expect(heads.size).toBe(2);
    expect(heads.hashAt('b', 1)).toBeUndefined();
    expect(heads.hashAt('a', 1)).toEqual(hash(1));
    expect(heads.hashAt('c', 1)).toEqual(hash(3));
    const none = new StreamHeads(0);
    none.remember('a', { version: 1, hash: hash(1) });
    expect(none.size).toBe(0);
  });
});
