import type { LogReader, RecordedEvent, WholeStreamsResult } from '@app/event-store';
import { SharedPassReads } from './shared-reads';

/** a log of `streams` one-event streams s0, s1, …: each read returns one stream */
const fakeReader = (streams: number) => {
  const reads: string[] = [];
  const reader = {
    readWholeStreams: async ({ afterStream }: { afterStream?: string }): Promise<WholeStreamsResult> => {
      reads.push(afterStream ?? '');
      const i = afterStream ? Number(afterStream.slice(1)) + 1 : 0;
      if (i >= streams) return { events: [], next: null };
      return { events: [{ streamId: `s${i}` } as RecordedEvent], next: i + 1 < streams ? `s${i}` : null };
    },
  } as unknown as LogReader;
  return { reader, reads };
};

const READ = { through: { transactionId: '1', globalPosition: 1 }, types: ['T'], events: 1, afterStream: '' };

describe('SharedPassReads', () => {
  it('reads each batch once for every reader, in order, to the end of the pass', async () => {
    const { reader, reads } = fakeReader(4);
    const shared = new SharedPassReads(reader, READ, 2);
    const walk = async (r: number) => {
      const seen: string[] = [];
      for (let i = 0; ; i++) {
        const batch = await shared.get(r, i);
        if (!batch) return seen;
        seen.push(`${batch.afterStream}>${batch.events[0].streamId}>${batch.next ?? 'end'}`);
        shared.passed(r, i);
      }
    };
    const [a, b] = await Promise.all([walk(0), walk(1)]);
    expect(a).toEqual(['>s0>s0', 's0>s1>s1', 's1>s2>s2', 's2>s3>end']);
    expect(b).toEqual(a);
    // one read per batch, none after the last
    expect(reads).toEqual(['', 's0', 's1', 's2']);
  });

  it('holds a reader back while it is `ahead` batches in front of the slowest, until that one moves or leaves', async () => {
    const { reader } = fakeReader(10);
    const shared = new SharedPassReads(reader, READ, 2, 2);
    for (let i = 0; i <= 2; i++) {
      await shared.get(0, i);
      shared.passed(0, i);
    }
    let got = false;
    const fourth = shared.get(0, 3).then(() => (got = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(got).toBe(false);
    await shared.get(1, 0);
    shared.passed(1, 0);
    await fourth;
    expect(got).toBe(true);
    // the slow one leaves: nothing holds the other back any more
    shared.leave(1);
    let last;
    for (let i = 3; i <= 9; i++) {
      last = await shared.get(0, i);
      shared.passed(0, i);
    }
    expect(last).toMatchObject({ afterStream: 's8', next: undefined });
  });
});
