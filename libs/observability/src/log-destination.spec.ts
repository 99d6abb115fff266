import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type pino from 'pino';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@app/testing';
import { bufferedStdout, LOG_CHUNK_BYTES } from './log-destination';
import { createLogger } from './logger';

describe('bufferedStdout: the processes’ log, written in chunks', () => {
  let dir: string;
  let destination: pino.DestinationStream & { end(): void };
  const file = () => join(dir, 'api.log');
  const written = () => readFileSync(file(), 'utf8');
  const lines = () =>
    written()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-destination-'));
    destination = bufferedStdout(openSync(file(), 'a')) as typeof destination;
  });
  afterEach(async () => {
    // ends its periodic flush and closes the file
    const closed = once(destination as unknown as NodeJS.EventEmitter, 'close');
    destination.end();
    await closed;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a line back, then writes it with the periodic flush', async () => {
    const logger = createLogger({ level: 'info', service: 'api', destination });
    logger.info({ route: '/v1/cases' }, 'request');
    expect(written()).toBe(''); // not one write per line
    await waitFor(
      () => lines().length === 1,
      () => `the line was never flushed (file: ${JSON.stringify(written())})`,
    );
    expect(lines()[0]).toMatchObject({ msg: 'request', service: 'api', level: 'info' });
  });

  it('writes as soon as a chunk is full, every line whole and in order', async () => {
    const logger = createLogger({ level: 'info', service: 'api', destination });
    const count = Math.ceil((2 * LOG_CHUNK_BYTES) / 100);
    for (let i = 0; i < count; i += 1) logger.info({ i, pad: 'x'.repeat(40) }, `line ${i}`);
    // the first chunks go out without waiting for the flush period
    await waitFor(
      () => written().length >= LOG_CHUNK_BYTES,
      () => `nothing written yet (${written().length} bytes)`,
    );
    await waitFor(
      () => lines().length === count,
      () => `${lines().length} of ${count} lines`,
    );
    expect(lines().map((l) => l.msg)).toEqual(Array.from({ length: count }, (_, i) => `line ${i}`));
  });
});
