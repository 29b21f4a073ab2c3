import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from '../platform/apollo-http';
import { staticFolder } from '../platform/static-folder';
import path from 'node:path';

/** Where the explorer's assets are served (the page asks for them under this prefix: web/explorer/vite.config.mjs's `base`). */
export const EXPLORER_PREFIX = '/explorer';

/** dist/web/explorer: beside this file's folder when it runs from dist/, under dist/ when from the sources (tests). */
function builtExplorer(): string {
  const up = path.resolve(__dirname, '..');
  return path.basename(up) === 'dist' ? path.join(up, 'web', 'explorer') : path.join(up, 'dist', 'web', 'explorer');
}

/**
 * The offline explorer (GraphiQL, built from web/explorer/ into dist/web/explorer/): its page
 * for a browser's GET of /graphql, and its assets under /explorer/. It loads nothing from
 * elsewhere, so it works on a machine without internet.
 */
export function explorer(root = builtExplorer()): { page: HttpHandler; folder: HttpHandler } {
  const folder = staticFolder(root, EXPLORER_PREFIX);
  return {
    folder,
    page: (request: IncomingMessage, response: ServerResponse) => {
      // The page itself is the folder's index.html; its query string (GraphiQL's) is the page's own.
      request.url = `${EXPLORER_PREFIX}/`;
      folder(request, response);
    },
  };
}
