import {
  caseDecider,
  caseOpenFor,
  intakeDecider,
  toCaseStreamId,
  toIntakeStreamId,
  type IntakeCommand,
  type IntakeEvent,
  type IntakeState,
} from '@app/case-domain';
import { seededRandom } from '@app/case-domain/testing';
import { derivedUuid, type EventStore, type NewEvent } from '@app/event-store';

const MINUTE = 60_000;
const ARTICLES = ['kb-a', 'kb-b', 'kb-c', 'kb-d', 'kb-e', 'kb-f', 'kb-g', 'kb-h'];
const PRODUCTS = ['drive', 'mail', 'cloud-identity', undefined];
const LANGUAGES = ['fr', 'en', 'en', 'de'];
const ADMIN = { id: 'ana', role: 'support-admin' } as const;
const SWEEPER = { id: 'system:intake-sweep', role: 'system' } as const;

export interface IntakeHistoryOptions {
  readonly intakes: number;
  readonly seed: number;
  /** the first start; default 2026-03-02T08:00:00Z */
  readonly start?: string;
  /** how far apart starts are spread, in minutes; default 14 days */
  readonly spreadMinutes?: number;
  /** called with each append's moment before it is made (e.g. a ManualClock's `set`: the events' `recorded_at`) */
  readonly beforeAppend?: (at: string) => void;
}

export interface IntakeHistory {
  readonly intakeIds: readonly string[];
  /** the cases opened from an intake (a few requests are left without one: a crash between the two writes) */
  readonly openedCaseIds: readonly string[];
  readonly appends: number;
}

interface Step {
  readonly at: number;
  readonly intakeId: string;
  readonly command: (state: IntakeState) => IntakeCommand | 'open-case' | null;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const suggestions = (random: () => number) => {
  const count = 1 + Math.floor(random() * 3);
  const chosen = [...ARTICLES].sort(() => random() - 0.5).slice(0, count);
  return chosen.map((articleId, i) => ({ articleId, version: 1 + Math.floor(random() * 2), score: 1 - i / 10 }));
};

/**
 * A random but plausible history of help assistant intakes (R5–R8), decided by the
 * intake's own decider and appended as the door would: intakes start (with suggestions, and
 * sometimes recent cases), search again, describe the problem, and end deflected by an
 * article shown, attached to a recent case, with a case request (whose case is opened a
 * minute later, by the case's decider, most of the time), abandoned after a day, or not yet.
 * The steps of all intakes are interleaved in time order.
 */
export const appendIntakeHistory = async (store: EventStore, o: IntakeHistoryOptions): Promise<IntakeHistory> => {
  const random = seededRandom(o.seed);
  const start = Date.parse(o.start ?? '2026-03-02T08:00:00Z');
  const spread = (o.spreadMinutes ?? 14 * 24 * 60) * MINUTE;
  const steps: Step[] = [];
  const intakeIds: string[] = [];
  for (let i = 0; i < o.intakes; i++) {
    const intakeId = derivedUuid('intake-history', String(o.seed), String(i));
    intakeIds.push(intakeId);
    let at = start + Math.floor(random() * spread);
    const step = (command: Step['command']) => steps.push({ at, intakeId, command });
    const product = pick(random, PRODUCTS);
    const language = pick(random, LANGUAGES);
    const first = suggestions(random);
    const recent = random() < 0.3 ? [derivedUuid('recent', intakeId)] : [];
    step(() => ({
      type: 'StartIntake',
      intakeId,
      actor: ADMIN,
      tenant: pick(random, ['acme.example', 'globex.example']),
      description: `Problem ${i}`,
      ...(product ? { product } : {}),
      language,
      suggestions: first,
      recentCaseIds: recent,
    }));
    for (let s = Math.floor(random() * 3); s > 0; s--) {
      at += Math.floor(random() * 10 + 1) * MINUTE;
      const again = suggestions(random);
      step(() => ({ type: 'SearchAgain', intakeId, actor: ADMIN, query: `again ${s}`, suggestions: again }));
    }
    if (random() < 0.3) {
      at += MINUTE;
      const problemCategory = pick(random, ['sso', 'billing']);
      step(() => ({ type: 'DescribeProblem', intakeId, actor: ADMIN, problemCategory }));
    }
    const ending = random();
    at += Math.floor(random() * 20 + 1) * MINUTE;
    if (ending < 0.35) {
      const choice = random();
      step((state) => {
        const shown = Object.keys(state.suggested).sort();
        return { type: 'DeflectIntake', intakeId, actor: ADMIN, articleId: shown[Math.floor(choice * shown.length)] };
      });
    } else if (ending < 0.45 && recent.length > 0) {
      step(() => ({ type: 'AttachToRecentCase', intakeId, actor: ADMIN, caseId: recent[0] }));
    } else if (ending < 0.7) {
      const caseId = derivedUuid('case', 'intake', intakeId);
      step(() => ({
        type: 'RequestCase',
        intakeId,
        actor: ADMIN,
        caseId,
        requester: { id: ADMIN.id, email: 'ana@acme.example' },
        subject: `Problem ${i}`,
        description: 'Still broken.',
        ...(product ? {} : { product: 'drive' }),
        channel: 'email',
        language,
        impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
        workaround: 'none',
      }));
      if (random() < 0.85) {
        at += MINUTE;
        step(() => 'open-case');
      }
    } else if (ending < 0.85) {
      at += 24 * 60 * MINUTE;
      step(() => ({ type: 'AbandonIntake', intakeId, actor: SWEEPER, idleMs: 24 * 60 * MINUTE }));
    }
  }
  steps.sort((a, b) => a.at - b.at || (a.intakeId < b.intakeId ? -1 : a.intakeId > b.intakeId ? 1 : 0));

  const states = new Map<string, { state: IntakeState; version: number }>();
  const openedCaseIds: string[] = [];
  let appends = 0;
  for (const s of steps) {
    const now = new Date(s.at);
    const current = states.get(s.intakeId) ?? { state: intakeDecider.initialState, version: 0 };
    const command = s.command(current.state);
    if (command === null) continue;
    o.beforeAppend?.(now.toISOString());
    if (command === 'open-case') {
      const request = current.state.request;
      if (!request || !current.state.tenant) continue;
      const decided = caseDecider.decide(caseDecider.initialState, caseOpenFor(current.state.tenant, request), now);
      await store.appendToStream(toCaseStreamId(request.caseId), decided as unknown as NewEvent[], 'no-stream');
      openedCaseIds.push(request.caseId);
      appends++;
      continue;
    }
    const events: IntakeEvent[] = intakeDecider.decide(current.state, command, now);
    if (events.length === 0) continue;
    await store.appendToStream(
      toIntakeStreamId(s.intakeId),
      events as unknown as NewEvent[],
      current.version === 0 ? 'no-stream' : current.version,
    );
    states.set(s.intakeId, {
      state: events.reduce(intakeDecider.evolve, current.state),
      version: current.version + events.length,
    });
    appends++;
  }
  return { intakeIds, openedCaseIds, appends };
};
