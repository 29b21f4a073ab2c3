import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import type { HttpHandler } from './apollo-http';

/**
 * A built web application (the console, the explorer) served from a folder under a path prefix,
 * by sirv: ETags, precompressed `.gz`/`.br` files when the build wrote them, hashed assets cached
 * for a year, and the application's index.html for every path that is not a file (its own
 * routes). Nothing is fetched from elsewhere: the folder holds everything the page loads.
 */
export function staticFolder(root: string, prefix: string): HttpHandler {
  if (!existsSync(root)) {
    return (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${prefix} is not built: run npm run build`);
    };
  }
  const serve = sirv(root, {
    single: true,
    gzip: true,
    brotli: true,
    etag: true,
    setHeaders: (response, pathname) => {
      // Vite names its assets by content hash, so they never change; the page itself may.
      response.setHeader('cache-control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    if (url === prefix || url.startsWith(`${prefix}?`)) {
      // `/console` → `/console/`, so that the page's relative asset paths resolve under the prefix.
      response.writeHead(308, { location: `${prefix}/${url.slice(prefix.length)}` });
      response.end();
      return;
    }
    request.url = url.slice(prefix.length) || '/';
    serve(request, response, () => {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Not found');
    });
  };
}
