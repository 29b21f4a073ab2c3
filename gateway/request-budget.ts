import { setMaxListeners } from 'node:events';
import type { AuthenticatedRequest } from './authentication';

/**
 * Per request, what the gateway has learnt about regions: how long it has waited for each, and
 * which regions already failed. A query plan may call the same region several times in
 * sequence (warnings, then their subjects). A region's timeout is a budget for the whole
 * request, spent only while the gateway waits for that region: a hung region that costs the
 * first stage its whole timeout leaves every other region's budget as it was, so a later
 * fetch to a healthy region is not cut short by the hung one. A region that failed once is
 * not waited for again, so one hanging region holds the response for at most its own timeout.
 * Non-regional subgraphs' fetches use the request's wall-clock deadlines (`deadline`).
 */
/** Deadlines of regional fetches are rounded up to this (see waitFor). */
const DEADLINE_TICK_MS = 25;
/** Why a finished request's fetches are cancelled: one reason for all (an error's stack is costly, and every request finishes). */
const ANSWERED = new DOMException('the request was answered', 'AbortError');

export class RequestRegionBudget {
  readonly startedAt = Date.now();
  private readonly failures = new Map<string, string>();
  /** Per region: milliseconds waited in finished fetches, and the fetches still waiting. */
  private readonly waits = new Map<string, { spentMs: number; inFlight: number; since: number }>();
  /**
   * Abort signals keyed by the moment they fire, shared by every fetch that has the same one
   * (a fan-out's regions start together with full budgets: one timer). A signal of its own per
   * fetch (AbortSignal.timeout) cost a timer that outlived the fetch and fired later, 57 of
   * them for a 41-region page: a tenth of the gateway thread's time in the fan-out profile.
   */
  private readonly deadlines = new Map<number, { controller: AbortController; timer: NodeJS.Timeout }>();

  /** Milliseconds left of a whole-request budget of `timeoutMs` (non-regional subgraphs). */
  remaining(timeoutMs: number): number {
    return Math.max(0, this.startedAt + timeoutMs - Date.now());
  }

  /** Aborts when `timeoutMs` has passed since the request began, or when the request is finished. */
  deadline(timeoutMs: number): AbortSignal {
    return this.signalAt(this.startedAt + timeoutMs, timeoutMs);
  }

  /** Milliseconds `region` may still be waited for in this request, of its `timeoutMs`. */
  regionRemaining(region: string, timeoutMs: number): number {
    const wait = this.waits.get(region);
    if (!wait) return timeoutMs;
    const current = wait.inFlight > 0 ? Date.now() - wait.since : 0;
    return Math.max(0, timeoutMs - wait.spentMs - current);
  }

  /**
   * Starts waiting for `region`: the signal aborts once the region's remaining budget is spent
   * (or the request is finished). Call the returned function when the answer (or failure) came.
   */
  waitFor(region: string, timeoutMs: number): { remainingMs: number; signal: AbortSignal; done: () => void } {
    const remainingMs = this.regionRemaining(region, timeoutMs);
    const now = Date.now();
    let wait = this.waits.get(region);
    if (!wait) this.waits.set(region, (wait = { spentMs: 0, inFlight: 0, since: now }));
    // Concurrent fetches to one region spend its budget once, not once each.
    if (wait.inFlight++ === 0) wait.since = now;
    let ended = false;
    const done = () => {
      if (ended) return;
      ended = true;
      if (--wait!.inFlight === 0) wait!.spentMs += Date.now() - wait!.since;
    };
    // Regions that spent a little of their budgets in an earlier stage differ by milliseconds:
    // rounding their deadlines up to a common tick lets a stage's fetches share a timer.
    const at = Math.ceil((now + remainingMs) / DEADLINE_TICK_MS) * DEADLINE_TICK_MS;
    return { remainingMs, signal: this.signalAt(at, timeoutMs), done };
  }

  private signalAt(at: number, timeoutMs: number): AbortSignal {
    let deadline = this.deadlines.get(at);
    if (!deadline) {
      const controller = new AbortController();
      // Every concurrent fetch listens to it (41 regions at once): that is its purpose, not a leak.
      setMaxListeners(0, controller.signal);
      const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), Math.max(0, at - Date.now()));
      timer.unref();
      deadline = { controller, timer };
      this.deadlines.set(at, deadline);
    }
    return deadline.controller.signal;
  }

  /** The request is answered: its timers go, and a fetch still running for it is cancelled. */
  finish(): void {
    for (const { controller, timer } of this.deadlines.values()) {
      clearTimeout(timer);
      controller.abort(ANSWERED);
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
  /**
   * Set on the queries a live subscription runs for its events (gateway/live/): how many events
   * the operation resolves, each a copy of the per-event query (event-batches.ts). They are the
   * gateway's own executions, not a client's requests, so their log lines are at debug level,
   * and the operation limits apply to each copy.
   */
  liveEvents?: number;
  /** The verified caller and the context tokens signed for them (absent with --insecure-no-auth). */
  auth?: AuthenticatedRequest;
}
