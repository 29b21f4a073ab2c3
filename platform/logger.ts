import { createRequire } from 'node:module';
import pino from 'pino';

/**
 * The hub's log: JSON lines on stdout (one object per line, for a log shipper), in every
 * thread. HUB_LOG_LEVEL sets the level (default info; warn under jest, whose hubs run inside
 * the test process). With NODE_ENV=development and pino-pretty installed (a dev dependency),
 * lines are printed for people instead.
 *
 * Nothing that could hold a token is logged: request lines carry names and ids only, and
 * `authorization` fields are redacted should one ever be passed.
 */

function prettyTransport(): pino.TransportSingleOptions | undefined {
  if (process.env.NODE_ENV !== 'development') return undefined;
  try {
    createRequire(__filename).resolve('pino-pretty');
    return { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } };
  } catch {
    return undefined; // not installed (a production install): JSON lines
  }
}

export const logger = pino({
  level: process.env.HUB_LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { pid: process.pid },
  redact: { paths: ['authorization', '*.authorization', 'headers.authorization', 'token'], censor: '[redacted]' },
  transport: prettyTransport(),
});
