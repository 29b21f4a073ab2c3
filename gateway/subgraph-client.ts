import CircuitBreaker from 'opossum';
import { Agent, request } from 'undici';
import type { GraphQLFormattedError } from 'graphql';
import { withTraceparent } from '../platform/tracing';

/**
 * One subgraph endpoint as the gateway sees it: keep-alive connections from a shared pool, a
 * hard timeout (a hanging region never holds a response past it), and a circuit breaker that
 * stops calling an endpoint that keeps failing and tries it again after a pause.
 *
 * The breaker opens on whichever comes first: `failureThreshold` failures in a row, or, once
 * `minimumRequests` calls were made within the last `windowMs`, more than `failureRatePercent`
 * of them failing (a region that fails every other call). Open, it fails calls at once for
 * `resetAfterMs`; then one trial call goes through (half-open): an answer closes it, a failure
 * opens it again. Consecutive failures are what a dead or hung region shows under load at
 * once, whereas a rate over opossum's 10 s window alone counted the calls still waiting on the
 * hung region as if they had succeeded, and opened only after ~12 s.
 */

export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

export interface BreakerSettings {
  /** Failures in a row that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails calls at once before one trial call. */
  resetAfterMs: number;
  /** Failure rate (percent of the calls in the window) above which the circuit opens… */
  failureRatePercent?: number;
  /** …once at least this many calls were made in the window… */
  minimumRequests?: number;
  /** …which is this long. */
  windowMs?: number;
}

export const DEFAULT_BREAKER: Required<BreakerSettings> = {
  failureThreshold: 5,
  resetAfterMs: 10_000,
  failureRatePercent: 50,
  minimumRequests: 20,
  windowMs: 5_000,
};

export interface EndpointOptions {
  timeoutMs: number;
  breaker: BreakerSettings;
}

/**
 * No GraphQL answer from an endpoint. `reason` is shown to callers (in REGION_UNAVAILABLE), so
 * it names no host, port or URL; `detail`, for the log only, may.
 */
export class EndpointUnavailableError extends Error {
  /** True when the gateway itself gave up (the request was answered without it): not the endpoint's failure. */
  cancelled = false;

  constructor(
    readonly url: string,
    readonly reason: string,
    readonly detail?: string,
  ) {
    super(`${url}: ${reason}${detail ? ` (${detail})` : ''}`);
    this.name = 'EndpointUnavailableError';
  }
}

/** An error code such as ECONNREFUSED or UND_ERR_SOCKET says what happened without saying where. */
const errorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : undefined;
};

const MAX_ENCODED_OPERATIONS = 2000;
const encodedOperations = new Map<string, string>();

/**
 * A subgraph request body. The planner's operation texts are fixed, so each is JSON-encoded once
 * (with its name) and only the variables are encoded per request.
 */
export function requestBody(query: string, variables: Record<string, unknown> | undefined, operationName?: string | null): string {
  const key = operationName ? `${operationName}\n${query}` : query;
  let head = encodedOperations.get(key);
  if (head === undefined) {
    head = `{"query":${JSON.stringify(query)}${operationName ? `,"operationName":${JSON.stringify(operationName)}` : ''},"variables":`;
    if (encodedOperations.size >= MAX_ENCODED_OPERATIONS) encodedOperations.clear();
    encodedOperations.set(key, head);
  }
  return `${head}${JSON.stringify(variables ?? {})}}`;
}

/** One pool of keep-alive connections per origin, shared by every endpoint of the gateway. */
export const sharedAgent = new Agent({ connections: 128, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });

export class SubgraphEndpoint {
  private readonly breaker: CircuitBreaker<[string, Record<string, string>, number, AbortSignal | undefined], SubgraphResponse>;

  /** Failures since the last answer. */
  private consecutiveFailures = 0;

  constructor(
    readonly url: string,
    private readonly options: EndpointOptions,
  ) {
    const settings = { ...DEFAULT_BREAKER, ...options.breaker };
    this.breaker = new CircuitBreaker(
      (body: string, headers: Record<string, string>, timeoutMs: number, deadline: AbortSignal | undefined) => this.send(body, headers, timeoutMs, deadline),
      {
        timeout: false, // the request's own abort signal enforces the timeout and frees the socket
        volumeThreshold: settings.minimumRequests,
        errorThresholdPercentage: settings.failureRatePercent,
        resetTimeout: settings.resetAfterMs,
        rollingCountTimeout: settings.windowMs,
        rollingCountBuckets: 5,
        // A call the gateway abandoned (its request was answered) says nothing about the endpoint.
        errorFilter: (error: unknown) => error instanceof EndpointUnavailableError && error.cancelled,
        // Only the failure rate decides; latency percentiles (sorted on every read) and a snapshot
        // event per second per endpoint cost time that nobody reads.
        rollingPercentilesEnabled: false,
        enableSnapshots: false,
      },
    );
    this.breaker.on('success', (result: unknown) => {
      if (!(result instanceof EndpointUnavailableError)) this.consecutiveFailures = 0;
    });
    this.breaker.on('close', () => (this.consecutiveFailures = 0));
    this.breaker.on('failure', () => {
      if (++this.consecutiveFailures >= settings.failureThreshold && this.breaker.closed) this.breaker.open();
    });
  }

  /** closed, open or halfOpen (for tests and logs). */
  get circuit(): 'closed' | 'open' | 'halfOpen' {
    return this.breaker.halfOpen ? 'halfOpen' : this.breaker.opened ? 'open' : 'closed';
  }

  /**
   * Posts a GraphQL request; throws EndpointUnavailableError when no GraphQL answer came back
   * within `timeoutMs` (default: the endpoint's timeout), or before `deadline` aborted (a
   * request's shared deadline, RequestRegionBudget.deadline, which then stands for the timeout).
   */
  async post(body: string, headers: Record<string, string> = {}, timeoutMs = this.options.timeoutMs, deadline?: AbortSignal): Promise<SubgraphResponse> {
    if (timeoutMs <= 0 || deadline?.aborted) throw new EndpointUnavailableError(this.url, `no answer within ${this.options.timeoutMs} ms`);
    try {
      return await this.breaker.fire(body, headers, timeoutMs, deadline);
    } catch (error) {
      if (error instanceof EndpointUnavailableError) throw error;
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        throw new EndpointUnavailableError(
          this.url,
          `it failed repeatedly, so the gateway stopped calling it for ${Math.round(this.options.breaker.resetAfterMs / 1000)} s`,
        );
      }
      throw new EndpointUnavailableError(this.url, 'the request failed', (error as Error).message);
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  /** Hears each change of the circuit breaker (the metrics and /ready follow it). */
  onCircuitChange(listener: (state: 'open' | 'half_open' | 'closed') => void): void {
    this.breaker.on('open', () => listener('open'));
    this.breaker.on('halfOpen', () => listener('half_open'));
    this.breaker.on('close', () => listener('closed'));
  }

  private async send(body: string, headers: Record<string, string>, timeoutMs: number, deadline: AbortSignal | undefined): Promise<SubgraphResponse> {
    let response;
    try {
      response = await request(this.url, {
        method: 'POST',
        dispatcher: sharedAgent,
        headers: withTraceparent({ 'content-type': 'application/json', accept: 'application/json', ...headers }),
        body,
        signal: deadline ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        const unavailable = new EndpointUnavailableError(this.url, `no answer within ${this.options.timeoutMs} ms`);
        // Aborted by the request's end rather than its deadline: the gateway stopped waiting.
        unavailable.cancelled = (deadline?.reason as Error | undefined)?.name === 'AbortError';
        throw unavailable;
      }
      const code = errorCode(error);
      throw new EndpointUnavailableError(this.url, code ? `connection failed (${code})` : 'connection failed', (error as Error).message);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw new EndpointUnavailableError(this.url, 'the answer broke off', (error as Error).message);
    }
    let parsed: SubgraphResponse | undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || (!('data' in parsed) && !('errors' in parsed))) {
      throw new EndpointUnavailableError(this.url, `HTTP ${response.statusCode} without a GraphQL answer`);
    }
    return parsed;
  }
}
