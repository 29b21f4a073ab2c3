import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { metricsOn, metricsRegistry } from './metrics';
import { metricsText } from './thread-metrics';

/**
 * GET /metrics on every listener of the hub (gateway and subgraph hosts), in Prometheus' text
 * format. Who may read it:
 *  - with HUB_METRICS_TOKEN set, a caller sending `Authorization: Bearer <that token>`;
 *  - without it, only a caller on the same machine (a loopback peer address). The hub listens
 *    on 127.0.0.1 by default, and a scraper on each host is the usual deployment; a gateway
 *    published on another address should be given a token, since a reverse proxy on the same
 *    machine would otherwise pass its clients off as local.
 * Metrics name regions, subgraphs and operations: not secret, but not for every caller either.
 * With HUB_METRICS=off it answers 404, saying so, to everyone: a scraper marks the target down
 * rather than reading an empty page as a hub with nothing to report.
 */

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

function allowed(request: IncomingMessage, token: string | undefined): boolean {
  if (!token) return LOOPBACK.test(request.socket.remoteAddress ?? '');
  const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function serveMetrics(request: IncomingMessage, response: ServerResponse, token = process.env.HUB_METRICS_TOKEN || undefined): void {
  if (!metricsOn) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('metrics are off on this hub (HUB_METRICS=off); unset HUB_METRICS or set it to on, and restart, to record and serve them');
    return;
  }
  if (!allowed(request, token)) {
    const text = token
      ? 'metrics need the bearer token the hub was given (HUB_METRICS_TOKEN)'
      : 'metrics are served to this machine only (or set HUB_METRICS_TOKEN)';
    response.writeHead(token ? 401 : 403, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(text);
    return;
  }
  metricsText().then(
    (text) => {
      response.writeHead(200, { 'content-type': metricsRegistry.contentType });
      response.end(text);
    },
    () => {
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('metrics could not be collected');
    },
  );
}
