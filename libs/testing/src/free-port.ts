import { createServer } from 'node:net';

/**
 * A TCP port free now on 127.0.0.1, for a server a test starts as a child process (which
 * cannot be told to take port 0 and report it back). Another process may take it before the
 * child binds it, as with any such port; the child then fails to start, loudly.
 */
export const freePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
