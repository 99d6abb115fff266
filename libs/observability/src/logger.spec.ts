import { Writable } from 'node:stream';
import { createLogger, PinoNestLogger } from './logger';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
};

describe('logging', () => {
  it('writes JSON lines with level, time and service', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', service: 'api', destination }).info({ caseId: 'c1' }, 'opened');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', service: 'api', caseId: 'c1', msg: 'opened', time: expect.any(String) }),
    ]);
  });

  it('passes Nest log lines through pino with their context', () => {
    const { lines, destination } = capture();
    const nest = new PinoNestLogger(createLogger({ level: 'debug', service: 'api', destination }));
    nest.log('Nest application successfully started', 'NestApplication');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    nest.debug('quiet');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' }),
      expect.objectContaining({ level: 'error', context: 'ExceptionsHandler', msg: 'boom', stack: 'Error: boom\n    at x' }),
      expect.objectContaining({ level: 'debug', msg: 'quiet' }),
    ]);
  });

  it('drops lines under the level', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'warn', service: 'api', destination }).info('hidden');
    expect(lines).toEqual([]);
  });
});
