import request from 'supertest';
import type { Test } from 'supertest';
import {
  EVENT_STORE,
  SQL_DATABASE,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type SqlDatabase,
} from '@app/event-store';
import type { ApiTestApp } from './api-test-app';

/** A stream's history before the request. */
export interface GivenStream {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

type Agent = ReturnType<typeof request>;

/** What happened: the answer, and what each stream named in the expectations got since `given`. */
interface Outcome {
  readonly response: Awaited<Test>;
  newEvents(streamId: string): Promise<RecordedEvent[]>;
}

export type ApiExpectation = (outcome: Outcome) => Promise<void> | void;

/**
 * Given / when / then over HTTP, in the style of Emmett's `ApiSpecification`: the streams'
 * histories are appended as they are (no command runs for them), the request goes through
 * the whole application (guards, pipes, the command door, the store), and the expectations
 * check the answer and the events the request appended, stream by stream.
 *
 *   const given = apiSpecification(() => t);
 *   await given({ streamId, events: [opened, routed] })
 *     .when((http) => http.post(`/v1/cases/${id}/responses`).set(as(agent)).send({ message: 'Hi' }))
 *     .then(expectResponse(200, { headers: { etag: 'W/"3"' } }), expectNewEvents(streamId, [{ type: 'AgentResponded' }]));
 */
export const apiSpecification =
  (app: () => ApiTestApp) =>
  (...given: readonly GivenStream[]) => ({
    when: (send: (http: Agent) => Test) => ({
      then: async (...expectations: readonly ApiExpectation[]): Promise<void> => {
        const store = app().app.get<EventStore>(EVENT_STORE);
        for (const { streamId, events } of given) await store.appendToStream(streamId, events, 'no-stream');
        // where the log stood before the request: what any stream got after it is new
        const db = app().app.get<SqlDatabase>(SQL_DATABASE);
        const [{ head }] = (await db.query<{ head: string | null }>('SELECT max(global_position) AS head FROM events'))
          .rows;
        const response = await send(request(app().app.getHttpServer()));
        const outcome: Outcome = {
          response,
          newEvents: async (streamId) =>
            (await store.readStream(streamId)).events.filter((e) => e.globalPosition > Number(head ?? 0)),
        };
        for (const expectation of expectations) await expectation(outcome);
      },
    }),
  });

/** The status, and optionally the body (matched as a subset) and headers. */
export const expectResponse =
  (status: number, o: { body?: unknown; headers?: Record<string, string | RegExp> } = {}): ApiExpectation =>
  ({ response }) => {
    expect({ status: response.status, body: response.body }).toMatchObject({
      status,
      ...(o.body === undefined ? {} : { body: o.body }),
    });
    for (const [name, value] of Object.entries(o.headers ?? {}))
      if (value instanceof RegExp) expect(response.headers[name]).toMatch(value);
      else expect(response.headers[name]).toBe(value);
  };

/** A problem document with this status and code. */
export const expectProblem =
  (status: number, code: string): ApiExpectation =>
  ({ response }) => {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
  };

/** The stream got exactly these events (each matched as a subset: type, data, metadata…), in order. */
export const expectNewEvents =
  (streamId: string, events: readonly Partial<Record<keyof RecordedEvent, unknown>>[]): ApiExpectation =>
  async ({ newEvents }) => {
    const got = await newEvents(streamId);
    expect(got.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(got).toMatchObject(events);
  };

/** The stream got nothing. */
export const expectNoNewEvents =
  (streamId: string): ApiExpectation =>
  async ({ newEvents }) =>
    expect((await newEvents(streamId)).map((e) => e.type)).toEqual([]);
