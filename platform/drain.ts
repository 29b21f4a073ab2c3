import type { Server } from 'node:http';

/**
 * Graceful drain of one HTTP server: stop accepting connections, let the requests in flight
 * finish (at most `timeoutMs`), then cut what is left. Idle kept-alive connections are closed
 * at once, and a connection is closed as soon as its last request is answered, so that clients
 * reconnect to another instance behind the load balancer.
 */

export class InFlightRequests {
  private count = 0;
  private draining = false;
  private readonly idle = new Set<() => void>();

  constructor(private readonly server: Server) {
    server.on('request', (request, response) => {
      this.count += 1;
      if (this.draining) response.setHeader('connection', 'close');
      response.once('close', () => {
        this.count -= 1;
        if (this.draining) server.closeIdleConnections();
        if (this.count === 0) this.idle.forEach((done) => done());
      });
    });
  }

  get size(): number {
    return this.count;
  }

  /** Resolves true when every request in flight finished, false when `timeoutMs` cut them. */
  drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    this.server.close();
    this.server.closeIdleConnections();
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finished = () => {
        clearTimeout(timer);
        this.idle.delete(finished);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idle.delete(finished);
        this.server.closeAllConnections();
        resolve(false);
      }, timeoutMs);
      this.idle.add(finished);
    });
  }
}

/**
 * Called when the hub starts draining, before requests are awaited: long-lived connections
 * (GraphQL subscriptions over WebSocket, once they exist) close with "going away" (1001) here,
 * since they would otherwise hold the drain until its timeout.
 */
const goingAwayHooks = new Set<() => void | Promise<void>>();

export function onGoingAway(hook: () => void | Promise<void>): () => void {
  goingAwayHooks.add(hook);
  return () => goingAwayHooks.delete(hook);
}

export async function announceGoingAway(): Promise<void> {
  await Promise.all([...goingAwayHooks].map(async (hook) => hook()));
}
