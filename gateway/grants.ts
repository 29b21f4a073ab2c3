import type { Grant } from '../auth/context-token';
import type { SigningKey } from '../auth/keys';
import { GatewayIdentityTokens } from './gateway-identity-token';
import { SubgraphEndpoint } from './subgraph-client';
import { logger } from '../platform/logger';

/**
 * The grants that sharing agreements give a caller's jurisdiction, as the directory says, kept
 * for a couple of seconds: a revocation reaches new requests within that time, and a busy
 * gateway asks the directory at most once per jurisdiction per period. When the directory
 * cannot answer, the caller gets no grants (it fails closed: partners' data stays masked).
 */
export class GrantsSource {
  private readonly cache = new Map<string, { grants: Promise<Grant[]>; until: number }>();

  constructor(
    private readonly fetchGrants: (jurisdiction: string) => Promise<Grant[]>,
    private readonly ttlMs = 2_000,
  ) {}

  grantsFor(jurisdiction: string): Promise<Grant[]> {
    const cached = this.cache.get(jurisdiction);
    if (cached && cached.until > Date.now()) return cached.grants;
    const grants = this.fetchGrants(jurisdiction).catch((error) => {
      logger.warn(`[gateway] grants of ${jurisdiction} unavailable, none given: ${(error as Error).message}`);
      this.cache.delete(jurisdiction); // try again on the next request
      return [] as Grant[];
    });
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(jurisdiction, { grants, until: Date.now() + this.ttlMs });
    return grants;
  }
}

const GRANTS_QUERY = 'query Grants($jurisdiction: String!) { sharingGrants(jurisdiction: $jurisdiction) { category owner } }';

/** Reads grants from the directory subgraph at `url`, as the hub itself (a service context). */
export function directoryGrants(url: string, contextKey: SigningKey): (jurisdiction: string) => Promise<Grant[]> {
  const endpoint = new SubgraphEndpoint(url, { timeoutMs: 2_000, breaker: { failureThreshold: 5, resetAfterMs: 5_000 } });
  const tokens = new GatewayIdentityTokens(contextKey);
  return async (jurisdiction) => {
    const token = await tokens.token('directory', {
      subject: 'service:gateway',
      jurisdiction,
      roles: ['SERVICE'],
      purpose: 'authorization',
      requestId: 'grants',
    });
    const response = await endpoint.post(JSON.stringify({ query: GRANTS_QUERY, variables: { jurisdiction } }), { authorization: `Bearer ${token}` });
    if (response.errors?.length) throw new Error(response.errors[0].message);
    return ((response.data as { sharingGrants?: Grant[] } | undefined)?.sharingGrants ?? []).map(({ category, owner }) => ({ category, owner }));
  };
}
