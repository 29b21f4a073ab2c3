import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deepMerge as apolloDeepMerge } from '@apollo/gateway/dist/utilities/deepMerge';
import { deepMerge, flattenAt } from '../gateway/plan-executor';

/**
 * The executor's merging helpers against Apollo Gateway's, on random merged results: the hub
 * rewrote them to allocate less (no key lists, no list per nested `@`), and equality with
 * stock Apollo is the contract.
 */

/** A small seeded generator (mulberry32): failures reproduce. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)] };
}

// Keys an attacker or an odd schema might produce, beside ordinary ones.
const KEYS = ['id', 'name', 'reviews', 'product', '__typename', 'constructor', 'toString', '__proto__'];

function randomValue(random: ReturnType<typeof generator>, depth: number): unknown {
  const roll = random.int(depth <= 0 ? 3 : 6);
  if (roll === 0) return null;
  if (roll === 1) return random.int(5);
  if (roll === 2) return random.pick(['a', 'b', 'c']);
  if (roll === 3) return Array.from({ length: random.int(4) }, () => randomValue(random, depth - 1));
  return randomObject(random, depth - 1);
}

function randomObject(random: ReturnType<typeof generator>, depth: number): Record<string, unknown> {
  // Built as JSON text and parsed, as subgraph answers are: `__proto__` is then an own key.
  const entries = Array.from({ length: random.int(4) }, () => `${JSON.stringify(random.pick(KEYS))}:${JSON.stringify(randomValue(random, depth) ?? null)}`);
  return JSON.parse(`{${entries.join(',')}}`);
}

/**
 * Apollo's own flattenResultsAtPath: @apollo/gateway does not export it, so its text is taken
 * from the installed executeQueryPlan.js and run with that module's own helpers — the real
 * function, not a copy that could drift from it.
 */
const apolloFlatten: (value: unknown, path: ReadonlyArray<string | number>) => unknown = (() => {
  const file = require.resolve('@apollo/gateway/dist/executeQueryPlan.js');
  const source = readFileSync(file, 'utf8');
  const text = /function flattenResultsAtPath\(value, path\) \{[\s\S]*?\n\}\n/.exec(source)?.[0];
  if (!text) throw new Error(`flattenResultsAtPath is no longer in ${file}: update this test`);
  const helpers = { federation_internals_1: require('@apollo/federation-internals'), own_1: require(path.join(path.dirname(file), 'utilities', 'own')) };
  return new Function('federation_internals_1', 'own_1', `${text}; return flattenResultsAtPath;`)(helpers.federation_internals_1, helpers.own_1);
})();

const outcome = (run: () => unknown) => {
  try {
    return { value: JSON.stringify(run()) };
  } catch {
    return { threw: true };
  }
};

test('deepMerge leaves the target exactly as Apollo’s deepMerge does (2,000 random pairs)', () => {
  const random = generator(20261126);
  let merged = 0;
  for (let i = 0; i < 2000; i++) {
    const target = randomObject(random, 4);
    const source = random.int(4) === 0 ? structuredClone(target) : randomObject(random, 4);
    const ours = JSON.parse(JSON.stringify(target));
    const theirs = JSON.parse(JSON.stringify(target));
    // (Merging an object into a scalar throws in both: answers of valid plans never do that.)
    const oursOutcome = outcome(() => (deepMerge(ours, JSON.parse(JSON.stringify(source))), ours));
    const theirsOutcome = outcome(() => apolloDeepMerge(theirs, JSON.parse(JSON.stringify(source))));
    expect({ i, merged: oursOutcome }).toEqual({ i, merged: theirsOutcome });
    if (!oursOutcome.threw) merged++;
    expect(Object.getPrototypeOf(ours)).toBe(Object.prototype);
  }
  expect(merged).toBeGreaterThan(1000);
});

test('flattenAt gives Apollo’s flattenResultsAtPath on nested lists, nulls and lists of lists (3,000 random paths)', () => {
  const random = generator(7);
  const steps = ['@', 'a', 'b'];
  let nested = 0;
  for (let i = 0; i < 3000; i++) {
    const value = JSON.parse(JSON.stringify(randomTree(random, 4)));
    const path = Array.from({ length: 1 + random.int(4) }, () => random.pick(steps));
    if (path.filter((step) => step === '@').length > 1) nested++;
    const ours = outcome(() => flattenAt(value, path));
    const theirs = outcome(() => apolloFlatten(value, path));
    // Both refuse the same shapes (a list where a field was expected, or the reverse); only the wording differs.
    expect({ i, path, ours }).toEqual({ i, path, ours: theirs });
  }
  expect(nested).toBeGreaterThan(500);
});

/** Values shaped like merged results along paths of `a`, `b` and `@`: objects, lists (of lists), nulls. */
function randomTree(random: ReturnType<typeof generator>, depth: number): unknown {
  const roll = random.int(depth <= 0 ? 2 : 5);
  if (roll === 0) return random.int(3) === 0 ? null : random.int(9);
  if (roll === 1) return random.pick(['x', 'y']);
  if (roll <= 3) return Array.from({ length: random.int(4) }, () => randomTree(random, depth - 1));
  return { a: randomTree(random, depth - 1), b: randomTree(random, depth - 1) };
}
