import { checkApiSchema, describeCheck } from '../launcher/schema-check';
import { runCli } from './support/cli';

/**
 * `yrd-hub check` tells app developers what a schema change does to them: a removed field or a
 * new required argument breaks apps, a new enum value may surprise them, a new field is safe.
 */

const BASE = `
  enum Level { RED ORANGE }
  type Warning { id: ID! level: Level note: String }
  type Query { warnings(first: Int): [Warning!]! }
`;

test('a removed field and a new required argument are breaking, a new enum value dangerous, a new field safe', async () => {
  const changed = `
    enum Level { RED ORANGE YELLOW }
    type Warning { id: ID! level: Level raisedAt: String }
    type Query { warnings(first: Int, region: String!): [Warning!]! }
  `;
  const result = await checkApiSchema(BASE, 'test', changed);
  expect(result.breaking.map((c) => c.path).sort()).toEqual(['Query.warnings.region', 'Warning.note']);
  expect(result.dangerous.map((c) => c.path)).toEqual(['Level.YELLOW']);
  expect(result.safe.map((c) => c.path)).toEqual(['Warning.raisedAt']);
  expect(describeCheck(result)).toMatch(/^API schema against test: 2 breaking, 1 dangerous, 1 safe/);
});

test('the same schema has no changes', async () => {
  const result = await checkApiSchema(BASE, 'test', BASE);
  expect([result.breaking, result.dangerous, result.safe]).toEqual([[], [], []]);
});

test('yrd-hub check compares this checkout with its commit (failing exactly when something breaks), and refuses an unknown ref clearly', async () => {
  const checked = await runCli(['check']);
  const breaking = Number(/API schema against HEAD: (\d+) breaking/.exec(checked.stdout)?.[1]);
  expect(Number.isInteger(breaking)).toBe(true);
  expect(checked.code).toBe(breaking > 0 ? 1 : 0); // on a clean checkout (as in CI): 0 breaking, exit 0
  const unknown = await runCli(['check', '--base', 'no-such-ref-anywhere']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/cannot read api\.graphql at no-such-ref-anywhere/);
}, 60_000);
