import { execFileSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { repoPath } from '../subgraphs/shared/repo-path';

/**
 * bin/build-ts.js, which `npm run build`, `npm start` and `npm run --silent token` run: with
 * nothing changed since the last compile it does not start tsc (which cost seconds per token),
 * and it compiles when the last compile is older than the sources.
 */

const BUILD_TS = repoPath('bin', 'build-ts.js');
const STAMP = repoPath('dist', '.tsc-built');
const build = () => execFileSync(process.execPath, [BUILD_TS], { cwd: repoPath(), stdio: 'pipe' });

test('compiles only when a source is newer than the last compile', () => {
  build(); // up to date from here on, whatever the checkout's state was
  const compiled = statSync(STAMP).mtimeMs;
  build();
  expect(statSync(STAMP).mtimeMs).toBe(compiled); // tsc did not run: the stamp is the last compile's

  utimesSync(STAMP, new Date(0), new Date(0)); // as if every source had changed since
  build();
  expect(statSync(STAMP).mtimeMs).toBeGreaterThan(0);
  expect(statSync(STAMP).mtimeMs).toBeGreaterThanOrEqual(compiled);
}, 300_000);
