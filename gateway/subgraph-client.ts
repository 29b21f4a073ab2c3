import CircuitBreaker from 'opossum';
import { Agent, request } from 'undici';
import type { GraphQLFormattedError } from 'graphql';

/**
 * One subgraph endpoint as the gateway sees it: keep-alive connections from a shared pool, a
 * hard timeout (a hanging region never holds a response past it), and a circuit breaker that
 * stops calling an endpoint that keeps failing and tries it again after a pause.
 */

export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

export interface EndpointOptions {
  timeoutMs: number;
  breaker: { failureThreshold: number; resetAfterMs: number };
}

/**
 * No GraphQL answer from an endpoint. `reason` is shown to callers (in REGION_UNAVAILABLE), so
 * it names no host, port or URL; `detail`, for the log only, may.
 */
export class EndpointUnavailableError extends Error {
  constructor(readonly url: string, readonly reason: string, readonly detail?: string) {
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

  constructor(readonly url: string, private readonly options: EndpointOptions) {
    this.breaker = new CircuitBreaker((body: string, headers: Record<string, string>, timeoutMs: number, deadline: AbortSignal | undefined) => this.send(body, headers, timeoutMs, deadline), {
      timeout: false, // the request's own abort signal enforces the timeout and frees the socket
      volumeThreshold: options.breaker.failureThreshold,
      errorThresholdPercentage: 50,
      resetTimeout: options.breaker.resetAfterMs,
      rollingCountTimeout: Math.max(10_000, options.breaker.resetAfterMs),
      // Only the failure rate decides; latency percentiles (sorted on every read) and a snapshot
      // event per second per endpoint cost time that nobody reads.
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
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
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body,
        signal: deadline ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new EndpointUnavailableError(this.url, `no answer within ${this.options.timeoutMs} ms`);
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
