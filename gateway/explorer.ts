import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpHandler } from '../platform/apollo-http';
import { staticFolder } from '../platform/static-folder';
import { repoPath } from '../subgraphs/shared/repo-path';

/** Where the explorer's assets are served (the page asks for them under this prefix: web/explorer/vite.config.mjs's `base`). */
export const EXPLORER_PREFIX = '/explorer';

/**
 * The offline explorer (GraphiQL, built from web/explorer/ into dist/web/explorer/): its page
 * for a browser's GET of /graphql, and its assets under /explorer/. It loads nothing from
 * elsewhere, so it works on a machine without internet.
 */
export function explorer(root = repoPath('dist', 'web', 'explorer')): { page: HttpHandler; folder: HttpHandler } {
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
