import { CONTEXT_LIFETIME_SECONDS, signContextToken } from '../auth/context-token';
import type { SigningKey } from '../auth/keys';

/** What the gateway says of itself when it reads a subgraph on its own account, with no officer asking. */
export interface GatewayClaims {
  /** Whom the token names: GATEWAY_IDENTITY for a region's warning feed, `service:gateway` for grants and the roster. */
  subject: string;
  jurisdiction: string;
  roles: string[];
  purpose: string | null;
  requestId: string;
}

/** Distinct tokens kept at most; past that the cache starts again (a hub has far fewer jurisdictions). */
const MAX_KEPT = 10_000;

/**
 * The gateway's own context tokens, each signed once per subgraph and claims and used until half
 * its lifetime has gone, so a token handed out still has half a minute to reach the subgraph.
 * Signing is a good part of a grants or roster lookup's cost, and these lookups repeat every
 * couple of seconds per jurisdiction or officer with the same claims.
 *
 * The context key is read once when the hub starts (launcher/hub-identity.ts) and a running hub
 * has no way to rotate it: a new key comes with a restart, and so with an empty cache.
 */
export class GatewayIdentityTokens {
  private readonly signed = new Map<string, { token: Promise<string>; until: number }>();

  constructor(
    private readonly key: SigningKey,
    private readonly now: () => number = Date.now,
  ) {}

  token(subgraph: string, claims: GatewayClaims): Promise<string> {
    const { subject, jurisdiction, roles, purpose, requestId } = claims;
    const cacheKey = JSON.stringify([subgraph, subject, jurisdiction, roles, purpose, requestId]);
    const now = this.now();
    const cached = this.signed.get(cacheKey);
    if (cached && cached.until > now) return cached.token;
    if (this.signed.size >= MAX_KEPT) this.signed.clear();
    const token = signContextToken(this.key, subgraph, { officerId: subject, jurisdiction, agency: null, roles, purpose, grants: [], requestId }, now);
    const entry = { token, until: now + (CONTEXT_LIFETIME_SECONDS * 1000) / 2 };
    this.signed.set(cacheKey, entry);
    // A failed signing is not remembered: the next call tries again.
    token.catch(() => {
      if (this.signed.get(cacheKey) === entry) this.signed.delete(cacheKey);
    });
    return token;
  }
}
