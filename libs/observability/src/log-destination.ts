import pino from 'pino';

/** bytes of log lines gathered before one write to stdout */
export const LOG_CHUNK_BYTES = 4096;
/** the longest a line waits in the buffer */
export const LOG_FLUSH_MS = 1_000;

/**
 * The processes' stdout for their log (`npm start`, `npm run worker`): lines are written in
 * chunks of {@link LOG_CHUNK_BYTES} or at least every {@link LOG_FLUSH_MS}, not one write per
 * line. A write is a system call, which on a small VM costs more than the line itself: at one
 * info line per request the API spent about 5 % of its CPU on them (bench:http's profile).
 * pino flushes the buffer synchronously on exit (a failed start's fatal line included);
 * only a process killed outright (SIGKILL, a crash of the runtime) loses its last second.
 * `fd`: another file descriptor (tests).
 */
export const bufferedStdout = (fd: number = process.stdout.fd): pino.DestinationStream =>
  pino.destination({
    dest: fd,
    sync: false,
    minLength: LOG_CHUNK_BYTES,
    periodicFlush: LOG_FLUSH_MS,
  });
