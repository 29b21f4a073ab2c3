import type { Grant } from '../auth/context-token';
import { DELTA_JURISDICTIONS } from '../auth/delta-jurisdictions';
import { overlapsAny, personAccess, personPrefixes } from '../auth/person-policy';
import { SHARING_CATEGORIES } from '../auth/sharing';
import { SeededRandom } from '../subgraphs/shared/random';

/**
 * Filters and lookups narrow SQL by jurisdiction prefixes (personPrefixes); fields decide per
 * record (personAccess). The two must agree for every caller and home, or a filter would match
 * a record whose value the caller may not read. Random callers with random grants over the
 * Delta's real codes, against the per-record decision.
 */

const codes = DELTA_JURISDICTIONS.map((j) => j.code);
const random = new SeededRandom(12);
const pick = <T>(items: readonly T[]): T => random.pick(items);

function randomCaller(): { jurisdiction: string; grants: Grant[]; purpose: string | null } {
  const grants = Array.from({ length: random.int(5) }, () => ({ category: pick(SHARING_CATEGORIES), owner: pick(codes) }));
  return { jurisdiction: pick(codes), grants, purpose: random.chance(0.5) ? 'petition-handling' : null };
}

const matches = (prefixes: readonly string[], home: string) => prefixes.some((prefix) => home.startsWith(prefix));

test('prefixes and per-record decisions agree on 5,000 random callers and homes', () => {
  for (let i = 0; i < 5000; i += 1) {
    const caller = randomCaller();
    const home = pick(codes);
    const access = personAccess(caller, home);
    const context = JSON.stringify({ caller, home });
    expect([context, matches(personPrefixes.owner(caller), home)]).toEqual([context, access.insider]);
    expect([context, matches(personPrefixes.basic(caller), home)]).toEqual([context, access.basic]);
    // In full: what a stated purpose would show.
    const full = personAccess({ ...caller, purpose: 'petition-handling' }, home).personal === 'FULL';
    expect([context, matches(personPrefixes.personal(caller), home)]).toEqual([context, full]);
    // A filter on exactly a home the caller may see is never refused.
    if (access.basic) expect(overlapsAny(personPrefixes.basic(caller), home)).toBe(true);
  }
});

test('the reason given to a caller who may not see the record names nothing of it', () => {
  const access = personAccess({ jurisdiction: '340100', grants: [], purpose: null }, '330402');
  expect(access.basic).toBe(false);
  expect(access.reason).not.toContain('330402');
  expect(access.reason).not.toContain('3304');
});
