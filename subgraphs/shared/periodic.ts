import { logger } from '../../platform/logger';

/**
 * Background work of a subgraph instance (deadline sweeps, outbox deliveries): run now, then
 * every `intervalMs`, never two passes at once (a slow database must not pile them up), until
 * stopped; `stop` waits for a pass under way. Failures are logged and the next pass tries again.
 */
export function runPeriodically(
  name: string,
  intervalMs: number,
  work: () => Promise<unknown>,
  log: (line: string) => void = (line) => logger.warn(line),
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const run = () => {
    if (busy) return;
    busy = true;
    running = work()
      .catch((error) => log(`[${name}] failed: ${(error as Error).message}`))
      .finally(() => (busy = false));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
