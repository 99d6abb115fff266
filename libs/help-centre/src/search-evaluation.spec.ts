import { firstAnswerRank, searchQuality } from './search-evaluation';

describe('the measures of the help search benchmark', () => {
  it('finds the rank of the first answer', () => {
    expect(firstAnswerRank(['x', 'b', 'a'], ['a', 'b'])).toBe(2);
    expect(firstAnswerRank(['x'], ['a'])).toBeNull();
  });

  it('counts a query answered in the first k when any of its answers is there, and the MRR of the first answer', () => {
    const quality = searchQuality(
      [
        { ranked: ['a', 'x', 'y'], answers: ['a'] }, // rank 1
        { ranked: ['x', 'y', 'b', 'c'], answers: ['b', 'c'] }, // rank 3; one of its two answers in the first 3
        { ranked: ['x', 'y', 'z', 'd'], answers: ['d'] }, // rank 4: not in the first 3
        { ranked: [], answers: ['e'] }, // not found
      ],
      3,
    );
    expect(quality.recallAtK).toBe(0.5);
    expect(quality.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 4 + 0) / 4, 10);
    expect(quality.labelRecallAtK).toBe(2 / 5);
    expect(searchQuality([])).toEqual({ recallAtK: 0, mrr: 0, labelRecallAtK: 0 });
  });
});
