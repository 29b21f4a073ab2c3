import { setMaxListeners } from 'node:events';
import type { AuthenticatedRequest } from './authentication';

/**
 * Per request, what the gateway has learnt about regions: when the request began, and which
 * regions already failed. A query plan may call the same region several times in sequence
 * (warnings, then their subjects); a region's timeout is a budget for the whole request, and
 * a region that failed once is not waited for again, so one hanging region never holds the
 * response past its own timeout. Non-regional subgraphs' fetches use its deadlines too.
 */
export class RequestRegionBudget {
  readonly startedAt = Date.now();
  private readonly failures = new Map<string, string>();
  /**
   * One abort signal per region timeout, shared by every fetch of the request. A signal of its
   * own per fetch (AbortSignal.timeout) cost a timer that outlived the fetch and fired later,
   * 57 of them for a 41-region page: a tenth of the gateway thread's time in the fan-out profile.
   */
  private readonly deadlines = new Map<number, { controller: AbortController; timer: NodeJS.Timeout }>();

  /** Milliseconds left for `region` in this request. */
  remaining(timeoutMs: number): number {
    return Math.max(0, this.startedAt + timeoutMs - Date.now());
  }

  /** Aborts when `timeoutMs` has passed since the request began, or when the request is finished. */
  deadline(timeoutMs: number): AbortSignal {
    let deadline = this.deadlines.get(timeoutMs);
    if (!deadline) {
      const controller = new AbortController();
      // Every concurrent fetch listens to it (41 regions at once): that is its purpose, not a leak.
      setMaxListeners(0, controller.signal);
      const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), this.remaining(timeoutMs));
      timer.unref();
      deadline = { controller, timer };
      this.deadlines.set(timeoutMs, deadline);
    }
    return deadline.controller.signal;
  }

  /** The request is answered: its timers go, and a fetch still running for it is cancelled. */
  finish(): void {
    for (const { controller, timer } of this.deadlines.values()) {
      clearTimeout(timer);
      controller.abort(new DOMException('the request was answered', 'AbortError'));
    }
    this.deadlines.clear();
  }

  failure(region: string): string | undefined {
    return this.failures.get(region);
  }

  recordFailure(region: string, reason: string): void {
    if (!this.failures.has(region)) this.failures.set(region, reason);
  }
}

export interface GatewayContext {
  regionBudget?: RequestRegionBudget;
  /** The verified caller and the context tokens signed for them (absent with --insecure-no-auth). */
  auth?: AuthenticatedRequest;
}
