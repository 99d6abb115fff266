import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '@app/event-store';
import { walkChains } from './chain-walk';
import type { RangeRequest, RangeResponse, WalkerData } from './parallel-walk';

/**
 * A verification thread (parallel-walk.ts): walks the ranges of streams it is sent, one at
 * a time, on its own connection, and answers each with its totals and the covered heads.
 * `close` closes the connection, and the thread ends.
 */
const port = parentPort;
if (!port) throw new Error('chain-walk.worker runs as a worker thread');
const { databaseUrl } = workerData as WalkerData;
const opening = openDatabase({ databaseUrl, poolSize: 2 });
port.on('message', (request: RangeRequest | 'close') => {
  if (request === 'close') {
    void opening.then((db) => db.close()).finally(() => port.close());
    return;
  }
  void (async () => {
    let answer: RangeResponse;
    try {
      const heads: Uint8Array[] = [];
      const totals = await walkChains(await opening, { ...request.walk, onCoveredHead: (head) => heads.push(head) });
      answer = { id: request.id, totals, heads: Buffer.concat(heads) };
    } catch (error) {
      answer = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(answer);
  })();
});
