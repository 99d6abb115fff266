import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

describe('health', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await startApiTestApp();
  });
  afterAll(() => t.close());

  it('answers live without checking anything', async () => {
    await request(t.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('is ready once the embedded store migrated and answers', async () => {
    const res = await request(t.app.getHttpServer()).get('/health/ready').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', details: { eventStore: { status: 'up', mode: 'embedded' } } });
  });

  it('answers unknown routes with a problem document', async () => {
    const res = await request(t.app.getHttpServer()).get('/nowhere').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'HTTP.NOT_FOUND', title: 'Not Found' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(t.app.getHttpServer()).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
  });

  it('is not ready (503, problem document) when the store stops answering', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    await store.close();
    const res = await request(t.app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body).toMatchObject({ status: 503, code: 'HEALTH.NOT_READY' });
  });
});

describe('metrics', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    t = await startApiTestApp();
  });
  afterAll(() => t.close());

  it('serves Prometheus metrics with HTTP request durations by route', async () => {
    await request(t.app.getHttpServer()).get('/health/live').expect(200);
    const res = await request(t.app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/health\/live"[^}]*\} 1/);
    expect(res.text).toContain('# TYPE case_commands_total counter');
  });
});
