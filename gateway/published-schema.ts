import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiSchemaSdl } from '../schema/api-schema';

/**
 * GET /schema.graphql: the client-facing schema of the supergraph this gateway serves (for the
 * hub's own, schema/api.graphql), for app developers' tools; printed once, on first request.
 */
export function publishedSchema(supergraphSdl: string): (request: IncomingMessage, response: ServerResponse) => void {
  let text: string | undefined;
  return (_request, response) => {
    text ??= apiSchemaSdl(supergraphSdl);
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };
}
