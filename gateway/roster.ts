import type { Caller } from '../auth/caller-token';
import { parseGlobalId } from '../auth/global-id';
import { contains, isJurisdictionCode } from '../auth/jurisdiction';
import type { SigningKey } from '../auth/keys';
import { GatewayIdentityTokens } from './gateway-identity-token';
import { SubgraphEndpoint } from './subgraph-client';

/**
 * Whether a caller token names an officer on the roster: an identity provider vouches for a
 * person, the region's personnel records say whether that person is one of its officers, still
 * active, in the jurisdiction, agency and roles the token claims. The token's word alone is not
 * enough (a provider can sign any `sub`).
 *
 * Each officer is looked up in the personnel records of the region the id names (330400:17 is
 * Jiaxing's officer 17), at most once per officer per couple of seconds; requests of one officer
 * in that time share the lookup, so a deactivation reaches new requests within that time. When
 * the roster cannot be read the caller is refused (it fails closed, unlike grants: no grant is
 * harmless, an unchecked identity is not).
 */

export interface RosterEntry {
  active: boolean;
  jurisdiction: string;
  agency: string | null;
  roles: string[];
}

/** The roster could not be read: the caller's identity is undecided, so the request is not served. */
export class RosterUnavailableError extends Error {
  constructor(
    readonly region: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'RosterUnavailableError';
  }
}

/** A region's roster: the officer with this local id, or null when it has none such. */
export type RosterLookup = (region: string, localId: string) => Promise<RosterEntry | null>;

export class RosterCheck {
  private readonly cache = new Map<string, { entry: Promise<RosterEntry | null>; until: number }>();

  constructor(
    private readonly lookup: RosterLookup,
    private readonly ttlMs = 2_000,
  ) {}

  /**
   * The caller as the roster backs it (the agency is the roster's, which the token may leave
   * out), or why not: the reasons say which claim differs but never what the roster holds, and
   * an unknown officer reads the same as one who has left. Throws RosterUnavailableError when
   * the roster cannot be read.
   */
  async confirm(caller: Caller): Promise<Caller | { refused: string }> {
    const id = parseGlobalId(caller.id);
    const entry = id ? await this.entryOf(caller.id, id.region, id.localId) : null;
    // A roster speaks for its own region only: an entry placing the officer elsewhere (which
    // registerOfficer never writes) would let one region's records vouch for another's people.
    if (!entry?.active || !contains(id!.region, entry.jurisdiction))
      return { refused: `${caller.id} is not an active officer on the roster of region ${caller.id.split(':')[0]}` };
    if (entry.jurisdiction !== caller.jurisdiction)
      return { refused: `the token's jurisdiction ${caller.jurisdiction} is not the one the roster gives ${caller.id}` };
    if (caller.agency !== null && caller.agency !== entry.agency)
      return { refused: `the token's agency ${caller.agency} is not the one the roster gives ${caller.id}` };
    const extra = caller.roles.filter((role) => !entry.roles.includes(role));
    if (extra.length) return { refused: `the roster does not give ${caller.id} the role${extra.length > 1 ? 's' : ''} ${extra.join(', ')} the token claims` };
    return caller.agency === entry.agency ? caller : { ...caller, agency: entry.agency };
  }

  private entryOf(officerId: string, region: string, localId: string): Promise<RosterEntry | null> {
    const cached = this.cache.get(officerId);
    if (cached && cached.until > Date.now()) return cached.entry;
    const entry = this.lookup(region, localId).catch((error: unknown) => {
      // Not remembered: the next request asks again.
      if (this.cache.get(officerId)?.entry === entry) this.cache.delete(officerId);
      throw error instanceof RosterUnavailableError ? error : new RosterUnavailableError(region, (error as Error).message);
    });
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(officerId, { entry, until: Date.now() + this.ttlMs });
    return entry;
  }
}

const ROSTER_QUERY = 'query Roster($id: ID!) { officer(id: $id) { active jurisdiction agency roles } }';

/**
 * Reads the roster from each region's personnel subgraph (`endpointOf(region)`, undefined for a
 * region this hub does not serve: no roster, no officer), as the hub itself (a service context).
 */
export function personnelRoster(endpointOf: (region: string) => string | undefined, contextKey: SigningKey, subgraph = 'personnel'): RosterLookup {
  const endpoints = new Map<string, SubgraphEndpoint>();
  const tokens = new GatewayIdentityTokens(contextKey);
  return async (region, localId) => {
    const url = endpointOf(region);
    if (!url) return null;
    let endpoint = endpoints.get(url);
    if (!endpoint) endpoints.set(url, (endpoint = new SubgraphEndpoint(url, { timeoutMs: 2_000, breaker: { failureThreshold: 5, resetAfterMs: 5_000 } })));
    const token = await tokens.token(subgraph, {
      subject: 'service:gateway',
      jurisdiction: region,
      roles: ['SERVICE'],
      purpose: 'authentication',
      requestId: 'roster',
    });
    let response;
    try {
      response = await endpoint.post(JSON.stringify({ query: ROSTER_QUERY, variables: { id: `${region}:${localId}` } }), { authorization: `Bearer ${token}` });
    } catch {
      throw new RosterUnavailableError(region, 'its personnel records did not answer');
    }
    const officer = (response.data as { officer?: RosterEntry | null } | null | undefined)?.officer;
    if (officer && isJurisdictionCode(officer.jurisdiction))
      return { active: officer.active, jurisdiction: officer.jurisdiction, agency: officer.agency, roles: officer.roles };
    if ((response.errors ?? []).every((error) => error.extensions?.code === 'NOT_FOUND')) return null;
    throw new RosterUnavailableError(region, 'its personnel records answered with an error');
  };
}
