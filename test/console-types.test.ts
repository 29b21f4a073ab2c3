import { spawnSync } from 'node:child_process';
import { repoPath } from '../subgraphs/shared/repo-path';

/**
 * The officer console's GraphQL types (web/console/src/generated/) are what graphql-codegen makes
 * from the console's operations and the published API: an operation changed without `npm run
 * codegen`, or an API change the console does not follow, fails here (and the console's
 * type-check then says where).
 */

const CODEGEN = repoPath('node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js');

test("the console's generated types are those graphql-codegen makes from its operations and schema/api.graphql", () => {
  // --check generates in memory and exits 1 when a committed file would change.
  const codegen = spawnSync(process.execPath, [CODEGEN, '--config', 'web/console/codegen.yml', '--check'], { cwd: repoPath(), encoding: 'utf8' });
  expect({ code: codegen.status, output: codegen.status === 0 ? '' : `${codegen.stdout}${codegen.stderr}` }).toEqual({ code: 0, output: '' });
}, 120_000);
