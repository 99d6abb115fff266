import fc from 'fast-check';
import type { Vendor } from '../vendor/vendor.model';
import { decideRouting, queueIdOf } from './routing.policy';

const vendor = (
  id: string,
  languages: string[],
  regions: string[] = ['emea'],
  calendarId = 'europe-paris',
): Vendor => ({
  id,
  name: id,
  languages,
  regions,
  calendarId,
});

const paris = vendor('paris', ['fr', 'en'], ['emea']);
const quebec = vendor('quebec', ['fr-ca', 'en'], ['amer'], 'america-new-york');
const tokyo = vendor('tokyo', ['ja', 'en'], ['apac'], 'asia-tokyo');
const berlin = vendor('berlin', ['de'], ['emea']);
const all = [tokyo, paris, quebec, berlin];

const atWork =
  (...ids: string[]) =>
  (v: Vendor) =>
    ids.includes(v.id);

describe('decideRouting (R4, R16: follow-the-sun)', () => {
  it('puts the case in the queue of its language and priority', () => {
    expect(queueIdOf('FR', 'P2')).toBe('fr-P2');
    expect(decideRouting({ language: 'fr-CA', priority: 'P1', vendors: all, isAtWork: atWork() }).queueId).toBe(
      'fr-ca-P1',
    );
  });

  it('routes to a vendor speaking the language that is at work now', () =>
    expect(decideRouting({ language: 'en', priority: 'P3', vendors: all, isAtWork: atWork('tokyo') })).toEqual({
      queueId: 'en-P3',
      vendorId: 'tokyo',
      reason: 'follow-the-sun',
      candidates: [
        { vendorId: 'tokyo', atWork: true },
        { vendorId: 'paris', atWork: false },
        { vendorId: 'quebec', atWork: false },
      ],
    }));

  it('never routes to a vendor that does not speak the language, even one at work', () => {
    const decision = decideRouting({
      language: 'de',
      priority: 'P2',
      vendors: all,
      isAtWork: atWork('tokyo', 'paris'),
    });
    expect(decision).toMatchObject({ vendorId: 'berlin', reason: 'next-shift' });
    expect(decision.candidates).toEqual([{ vendorId: 'berlin', atWork: false }]);
  });

  it('with nobody at work, gives the case to the vendor whose shift starts first', () => {
    const starts: Record<string, number> = { paris: 3_000, quebec: 1_000 };
    const decision = decideRouting({
      language: 'en',
      priority: 'P2',
      vendors: all,
      isAtWork: atWork(),
      nextShiftStart: (v) => starts[v.id],
    });
    expect(decision).toMatchObject({ vendorId: 'quebec', reason: 'next-shift' });
    // tokyo's next shift is unknown: it comes last
    expect(decision.candidates.map((c) => c.vendorId)).toEqual(['quebec', 'paris', 'tokyo']);
  });

  it('prefers the exact regional variant, then the customer’s region, then the id', () => {
    const bothAtWork = atWork('paris', 'quebec', 'tokyo');
    expect(decideRouting({ language: 'fr-ca', priority: 'P2', vendors: all, isAtWork: bothAtWork }).vendorId).toBe(
      'quebec',
    );
    expect(decideRouting({ language: 'fr', priority: 'P2', vendors: all, isAtWork: bothAtWork }).vendorId).toBe(
      'paris',
    );
    expect(
      decideRouting({ language: 'en', priority: 'P2', region: 'apac', vendors: all, isAtWork: bothAtWork }).vendorId,
    ).toBe('tokyo');
    expect(decideRouting({ language: 'en', priority: 'P2', vendors: all, isAtWork: bothAtWork }).vendorId).toBe(
      'paris',
    );
  });

  it('a regional variant a vendor speaks does not cover the base language', () =>
    expect(decideRouting({ language: 'fr', priority: 'P4', vendors: [quebec], isAtWork: atWork('quebec') })).toEqual({
      queueId: 'fr-P4',
      vendorId: null,
      reason: 'no-eligible-vendor',
      candidates: [],
    }));

  it('is a function of its inputs: the order vendors are listed in changes nothing', () =>
    fc.assert(
      fc.property(
        fc.shuffledSubarray(all),
        fc.subarray(all.map((v) => v.id)),
        fc.constantFrom('en', 'fr', 'fr-ca', 'ja', 'de', 'pt'),
        fc.option(fc.constantFrom('emea', 'apac', 'amer'), { nil: undefined }),
        (vendors, working, language, region) => {
          const request = { language, priority: 'P2' as const, region, isAtWork: atWork(...working) };
          const decision = decideRouting({ ...request, vendors });
          expect(decideRouting({ ...request, vendors: [...vendors].reverse() })).toEqual(decision);
          // the chosen vendor speaks the language, and is at work whenever any candidate is
          const chosen = vendors.find((v) => v.id === decision.vendorId);
          if (decision.candidates.some((c) => c.atWork)) expect(decision.reason).toBe('follow-the-sun');
          if (chosen)
            expect(decision.candidates[0]).toEqual({ vendorId: chosen.id, atWork: working.includes(chosen.id) });
          else expect(decision.candidates).toEqual([]);
        },
      ),
    ));
});
