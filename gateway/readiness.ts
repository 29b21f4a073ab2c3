import type { IncomingMessage, ServerResponse } from 'node:http';
import { circuitStates } from './region-metrics';

/**
 * GET /ready: whether this gateway instance should receive traffic. Ready means the supergraph
 * is loaded and the directory (the hub's own subgraph: callers' grants, agreements) answers.
 * Regions are reported, each with its reachability and circuit states, but do not decide: a
 * region that is down costs only its part of each answer (REGION_UNAVAILABLE), and every
 * gateway instance would see it down alike, so taking instances out would only turn a
 * partial outage into a total one.
 *
 * Reachability is a GET of each host's /health, at most once per PROBE_TTL_MS however often
 * /ready is asked (a load balancer may ask every second from several places); concurrent
 * asks share one probe.
 */

const PROBE_TTL_MS = 2000;
const PROBE_TIMEOUT_MS = 1000;

export interface ReadinessTargets {
  /** False until the supergraph is loaded and the gateway serves it. */
  supergraphLoaded: () => boolean;
  /** GraphQL URLs of the hub's own subgraphs (the directory), by name. */
  directory: () => ReadonlyMap<string, string>;
  /** One GraphQL URL of each region's subgraphs (they share one host per region), by region code. */
  regions: () => ReadonlyMap<string, string>;
}

export interface ReadinessReport {
  ready: boolean;
  supergraph: { loaded: boolean };
  directory: Record<string, { reachable: boolean; circuit: string }>;
  regions: Record<string, { reachable: boolean; circuits: Record<string, string> }>;
}

/** The /health of the server answering `graphqlUrl` (http://host:port/<subgraph>/graphql). */
const healthUrlOf = (graphqlUrl: string) => new URL('/health', graphqlUrl).toString();

async function reachable(graphqlUrl: string): Promise<boolean> {
  try {
    const response = await fetch(healthUrlOf(graphqlUrl), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export class Readiness {
  private cached?: { at: number; report: Promise<ReadinessReport> };

  constructor(private readonly targets: ReadinessTargets) {}

  report(): Promise<ReadinessReport> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at >= PROBE_TTL_MS) this.cached = { at: now, report: this.probe() };
    return this.cached.report;
  }

  private async probe(): Promise<ReadinessReport> {
    const circuits = circuitStates();
    const directoryEntries = [...this.targets.directory()];
    const regionEntries = [...this.targets.regions()];
    const [directoryUp, regionsUp] = await Promise.all([
      Promise.all(directoryEntries.map(([, url]) => reachable(url))),
      Promise.all(regionEntries.map(([, url]) => reachable(url))),
    ]);
    const directory = Object.fromEntries(
      directoryEntries.map(([name], i) => [name, { reachable: directoryUp[i], circuit: circuits.get('hub')?.get(name) ?? 'closed' }]),
    );
    const regions = Object.fromEntries(
      regionEntries.map(([code], i) => [code, { reachable: regionsUp[i], circuits: Object.fromEntries(circuits.get(code) ?? []) }]),
    );
    const loaded = this.targets.supergraphLoaded();
    return { ready: loaded && directoryUp.every(Boolean), supergraph: { loaded }, directory, regions };
  }

  /** The /ready endpoint: 200 when ready, 503 while not, the report as JSON either way. */
  readonly serve = (_request: IncomingMessage, response: ServerResponse): void => {
    this.report().then((report) => {
      const text = JSON.stringify(report);
      response.writeHead(report.ready ? 200 : 503, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
      });
      response.end(text);
    });
  };
}
