import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actingLogin, graphqlAnswers, runnableReadmeBlocks } from './support/readme-blocks';

/** What the README-examples test takes from README.md, and what it counts as an answer with errors. */

const README = [
  '# Title',
  '## Queries',
  '```graphql',
  '{ regions { code } }',
  '```',
  '```graphql norun',
  '{ placeholder(id: "…") }',
  '```',
  '## Shell',
  '```sh',
  'export HUB=http://127.0.0.1:4000',
  '```',
  '```sh',
  'curl -s "$HUB/graphql" -d \'{"query":"{ regions { code } }"}\'',
  '```',
  '```sh background',
  'node server.mjs',
  '```',
  '```yaml',
  'regions: []',
  '```',
].join('\n');

test('takes GraphQL blocks, curl blocks and background blocks, in order, leaving out norun and other languages', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-readme-blocks-')), 'README.md');
  writeFileSync(file, README);
  expect(runnableReadmeBlocks(file)).toEqual([
    { line: 3, section: 'Queries', kind: 'graphql', background: false, code: '{ regions { code } }' },
    { line: 13, section: 'Shell', kind: 'shell', background: false, code: 'curl -s "$HUB/graphql" -d \'{"query":"{ regions { code } }"}\'' },
    { line: 16, section: 'Shell', kind: 'shell', background: true, code: 'node server.mjs' },
  ]);
});

test('a GraphQL block acts as the demo officer its "# as" comment names, else demo-330400', () => {
  expect(actingLogin('mutation {   # as 320500:1 (demo-320500), a Suzhou officer\n  x }')).toBe('demo-320500');
  expect(actingLogin('mutation {   # as demo-330400-market-1, an officer\n  x }')).toBe('demo-330400-market-1');
  expect(actingLogin('{ regions { code } }')).toBe('demo-330400');
});

test('finds the answers in what curl printed: without newlines, in SSE data lines, beside other output', () => {
  const output = [
    '{"data":{"a":1}}{"errors":[{"message":"no","extensions":{"code":"FORBIDDEN"}}],"data":null}',
    'event: next',
    'data: {"data":{"petitionWarningEvents":{"cursor":"c{1}"}}}',
    'PROPOSED {not json}',
  ].join('\n');
  expect(graphqlAnswers(output)).toEqual([
    { data: { a: 1 } },
    { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }], data: null },
    { data: { petitionWarningEvents: { cursor: 'c{1}' } } },
  ]);
  expect(graphqlAnswers('curl: (7) Failed to connect')).toEqual([]);
});
