/**
 * The name supergraph.yaml gives the hub-owned live events schema (schema/live-events.graphql):
 * a subgraph in composition only, served by the gateway itself over WebSocket and SSE, never
 * fetched — so nothing probes or routes to its placeholder URL.
 */
export const LIVE_SUBGRAPH = 'live';
