import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, JSONWebKeySet, jwtVerify, JWTVerifyGetKey } from 'jose';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readConfigFile } from '../platform/config-file';
import { Caller, HUB_AUDIENCE } from './caller-token';
import { contains, isJurisdictionCode } from './jurisdiction';

/**
 * Verifies the JWTs callers bring: signature against the issuer's JWKS, issuer, audience and
 * expiry, and that the issuer may speak for the jurisdiction it claims (Zhejiang's provider
 * issues for 33…, not for Jiangsu). Anything else is refused with a reason a developer can
 * act on; the reason never echoes the token.
 */

export interface TrustedIssuer {
  issuer: string;
  /** Jurisdiction prefixes the issuer may vouch for ("33" for all of Zhejiang). */
  jurisdictions: string[];
  /** The hub's own issuer for the subgraph hosts it runs: it may name services ("service:330400") only, and nobody else may. */
  servicesOnly?: boolean;
  keys: JWTVerifyGetKey;
}

export interface IdentitySettings {
  audience: string;
  issuers: TrustedIssuer[];
}

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
const CALLER_ID = /^(\d{6}:[1-9]\d{0,17}|service:\d{6})$/;
const MAX_CACHED = 10_000;

export class CallerVerifier {
  private readonly issuers: Map<string, TrustedIssuer>;
  /** Verified tokens, until they expire: a caller sends the same token for hours, and ES256 verification is the costly part. */
  private readonly verified = new Map<string, Caller>();

  constructor(private readonly settings: IdentitySettings) {
    this.issuers = new Map(settings.issuers.map((issuer) => [issuer.issuer, issuer]));
  }

  async verify(token: string): Promise<Caller> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAt * 1000 > Date.now()) return cached;

    let issuerName: string | undefined;
    try {
      issuerName = decodeJwt(token).iss;
    } catch {
      throw new AuthenticationError('the bearer token is not a JWT');
    }
    const issuer = issuerName ? this.issuers.get(issuerName) : undefined;
    if (!issuer) throw new AuthenticationError(`tokens from issuer ${JSON.stringify(issuerName ?? null)} are not trusted here`);

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, issuer.keys, {
        issuer: issuer.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 30,
      }));
    } catch (error) {
      throw new AuthenticationError(describeJoseError(error));
    }
    const caller = callerOf(payload, issuer);
    if (this.verified.size >= MAX_CACHED) this.verified.clear();
    this.verified.set(token, caller);
    return caller;
  }
}

function callerOf(payload: Record<string, unknown>, issuer: TrustedIssuer): Caller {
  const { sub, jurisdiction, agency, roles, login, exp } = payload;
  if (typeof sub !== 'string' || !CALLER_ID.test(sub)) throw new AuthenticationError('the token\'s sub is not an officer id such as "330400:1"');
  if (sub.startsWith('service:') !== Boolean(issuer.servicesOnly)) {
    throw new AuthenticationError(issuer.servicesOnly ? `issuer ${issuer.issuer} names services only` : `issuer ${issuer.issuer} may not name a hub service`);
  }
  if (!isJurisdictionCode(jurisdiction)) throw new AuthenticationError('the token carries no valid jurisdiction claim');
  if (!issuer.jurisdictions.some((prefix) => contains(prefix.padEnd(6, '0'), jurisdiction))) {
    throw new AuthenticationError(`issuer ${issuer.issuer} may not vouch for jurisdiction ${jurisdiction}`);
  }
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string'))
    throw new AuthenticationError("the token's roles claim must be a list of role names");
  return {
    id: sub,
    issuer: issuer.issuer,
    jurisdiction,
    agency: typeof agency === 'string' ? agency : null,
    roles: roles as string[],
    login: typeof login === 'string' ? login : null,
    expiresAt: exp as number,
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not valid here (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature does not verify";
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's signing algorithm is not accepted";
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the token';
  if (error instanceof errors.JOSEError) return `the token is not valid: ${error.code}`;
  return 'the token could not be verified';
}

const identityFileSchema = z
  .object({
    audience: z.string().min(1).default(HUB_AUDIENCE),
    issuers: z
      .array(
        z
          .object({
            issuer: z.string().min(1),
            jurisdictions: z.array(z.string().regex(/^\d{2,6}$/, 'a jurisdiction code or its leading digits')).min(1),
            jwks_file: z.string().optional(),
            jwks_url: z.string().url().optional(),
          })
          .refine((issuer) => Boolean(issuer.jwks_file) !== Boolean(issuer.jwks_url), 'give exactly one of jwks_file and jwks_url'),
      )
      .min(1),
  })
  .strict();

/** Reads an identity file (see identity.example.yaml): the issuers to trust, each with its JWKS from a file or a URL. */
export function loadIdentitySettings(file: string): IdentitySettings {
  const raw = readConfigFile(file, identityFileSchema);
  return {
    audience: raw.audience,
    issuers: raw.issuers.map((issuer) => ({
      issuer: issuer.issuer,
      jurisdictions: issuer.jurisdictions,
      keys: issuer.jwks_url
        ? createRemoteJWKSet(new URL(issuer.jwks_url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 })
        : createLocalJWKSet(JSON.parse(readFileSync(path.resolve(path.dirname(file), issuer.jwks_file!), 'utf8')) as JSONWebKeySet),
    })),
  };
}
