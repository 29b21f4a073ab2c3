import type { AuthenticatedRequest } from './authentication';

/**
 * Per request, what the gateway has learnt about regions: when the request began, and which
 * regions already failed. A query plan may call the same region several times in sequence
 * (warnings, then their subjects); a region's timeout is a budget for the whole request, and
 * a region that failed once is not waited for again, so one hanging region never holds the
 * response past its own timeout.
 */
export class RequestRegionBudget {
  readonly startedAt = Date.now();
  private readonly failures = new Map<string, string>();

  /** Milliseconds left for `region` in this request. */
  remaining(timeoutMs: number): number {
    return Math.max(0, this.startedAt + timeoutMs - Date.now());
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
