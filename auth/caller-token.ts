import { SignJWT } from 'jose';
import type { SigningKey } from './keys';

/**
 * What an identity provider says about an officer (or a registered app) in the JWT it issues:
 * who (`sub`, the officer's global id such as "330400:1"), where they belong, their agency and
 * roles. The hub trusts these claims only from an issuer it is configured to trust, and only
 * for jurisdictions that issuer may speak for.
 */
export interface Caller {
  /** Officer (or app) id: "330400:1", or "service:330400" for a region's own subgraphs. */
  id: string;
  issuer: string;
  /** Home jurisdiction code, such as 330421. */
  jurisdiction: string;
  agency: string | null;
  roles: string[];
  login: string | null;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export const HUB_AUDIENCE = 'yrd-hub';

/** Signs a caller token as an identity provider would (the demo providers, and tests). */
export async function signCallerToken(
  key: SigningKey,
  issuer: string,
  claims: { sub: string; jurisdiction: string; agency?: string | null; roles: string[]; login?: string },
  lifetimeSeconds = 12 * 3600,
  audience = HUB_AUDIENCE,
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
    .sign(key.privateKey);
}
