import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The offline explorer (GraphiQL) → dist/web/explorer/, served by the gateway: the page at
 * GET /graphql for browsers, its assets under /explorer/. Everything it loads is in the build:
 * Monaco's workers are bundled by Vite's `?worker` imports (graphiql/setup-workers/vite).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/explorer/',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/explorer', import.meta.url)),
    emptyOutDir: true,
    // Monaco alone is a few megabytes; the page is served from the hub itself, not a CDN.
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      // GraphiQL's React packages carry "use client" directives, meaningless in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
