import type { RequestContext } from '../auth/context-token';
import { visiblePrefixes } from '../auth/record-policy';
import { actorOf } from '../subgraphs/shared/actor';

/**
 * Actors and the prefixes they may see are made once per verified context and shared by the
 * requests that carry the same token (a fan-out's regions on one thread): sharing must never
 * change an answer, nor let one request change what another sees.
 */

const context = (overrides: Partial<RequestContext> = {}): RequestContext => ({
  officerId: '330400:7',
  jurisdiction: '330421',
  agency: null,
  roles: ['PETITION_OFFICER'],
  purpose: null,
  grants: [
    { category: 'PETITION_WARNINGS', owner: '320500' },
    { category: 'PETITION_DETAILS', owner: '310000' },
    { category: 'INSPECTIONS', owner: '340100' },
  ],
  requestId: 'r-1',
  ...overrides,
});

describe('actorOf', () => {
  test('one frozen actor per verified context; another context, even an equal one, gets its own', () => {
    const verified = context();
    const actor = actorOf(verified);
    expect(actorOf(verified)).toBe(actor);
    expect(actor).toMatchObject({ officerId: '330400:7', region: '330400', requestId: 'r-1' });
    expect(Object.isFrozen(actor)).toBe(true);
    expect(() => {
      (actor as { jurisdiction: string }).jurisdiction = '33';
    }).toThrow(TypeError);
    const other = actorOf(context());
    expect(other).not.toBe(actor);
    expect(other).toEqual(actor);
  });

  test('a service acts for the region its id names', () => {
    expect(actorOf(context({ officerId: 'service:320500' })).region).toBe('320500');
  });
});

describe('visiblePrefixes', () => {
  test('remembered per viewer and categories, equal to a fresh computation, and not to be changed', () => {
    const actor = actorOf(context());
    const warnings = visiblePrefixes(actor, ['PETITION_WARNINGS']);
    const petitions = visiblePrefixes(actor, ['PETITION_WARNINGS', 'PETITION_DETAILS']);
    const inspections = visiblePrefixes(actor, ['INSPECTIONS']);
    expect(visiblePrefixes(actor, ['PETITION_WARNINGS'])).toBe(warnings);
    expect([...warnings].sort()).toEqual(['3205', '3304', '330421']);
    // Shanghai (310000) is a municipality: its significant prefix is the province's.
    expect([...petitions].sort()).toEqual(['31', '3205', '3304', '330421']);
    expect([...inspections].sort()).toEqual(['3304', '330421', '3401']);
    // The same answers for an equal viewer that shares nothing with the first.
    const fresh = actorOf(context());
    expect(visiblePrefixes(fresh, ['PETITION_WARNINGS', 'PETITION_DETAILS'])).toEqual(petitions);
    expect(Object.isFrozen(warnings)).toBe(true);
  });
});
