import { createLocalJWKSet, errors, JSONWebKeySet, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import type { Caller } from './caller-token';
import type { SigningKey } from './keys';

/**
 * The context the gateway forwards to subgraphs: who asks (from the verified caller token),
 * why (the stated purpose), and what sharing agreements grant the caller's jurisdiction. The
 * gateway signs it with the hub's key for one subgraph (its audience) and at most 60 seconds;
 * subgraphs hold only the public key. An officer's own token is useless at a subgraph, and a
 * context token made for one subgraph is refused by another.
 */

export interface Grant {
  /** Data category: PETITION_WARNINGS, PETITION_DETAILS, INSPECTIONS, PERSON_BASIC, PERSON_PERSONAL. */
  category: string;
  /** Jurisdiction (prefix) whose data the grant opens to the caller. */
  owner: string;
}

export interface RequestContext {
  officerId: string;
  jurisdiction: string;
  agency: string | null;
  roles: string[];
  purpose: string | null;
  grants: Grant[];
  requestId: string;
  /**
   * Other officers, of exactly this context's rights, who receive this request's answer as it
   * is (subscribers of equal rights sharing one live event's execution): whatever the request
   * reads in full is written to the audit log for each of them as well.
   */
  alsoReadBy?: readonly Reader[];
}

/** An officer who reads an answer, and the request id their audit rows carry. */
export interface Reader {
  officerId: string;
  requestId: string;
}

/** More readers than this in one token are refused: the gateway shares an answer with fewer. */
export const MAX_READERS = 1000;

export const CONTEXT_ISSUER = 'yrd-hub-gateway';
/** The subject of a context token the gateway signs for itself (reading a region's warning feed), never an officer's id. */
export const GATEWAY_IDENTITY = 'hub:gateway';
export const CONTEXT_LIFETIME_SECONDS = 60;
export const contextAudience = (subgraph: string) => `yrd-hub:subgraph:${subgraph}`;

export class ContextTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextTokenError';
  }
}

export function requestContextOf(caller: Caller, purpose: string | null, grants: Grant[], requestId: string): RequestContext {
  return { officerId: caller.id, jurisdiction: caller.jurisdiction, agency: caller.agency, roles: caller.roles, purpose, grants, requestId };
}

function readersOf(claim: unknown): Reader[] {
  if (claim === undefined) return [];
  const valid =
    Array.isArray(claim) &&
    claim.length <= MAX_READERS &&
    claim.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string' && part.length > 0));
  // Signed by the hub, so malformed only by a defect: refused rather than read as fewer readers, whose reads would go unaudited.
  if (!valid) throw new ContextTokenError("the context token's alsoReadBy claim is not valid here");
  return (claim as string[][]).map(([officerId, requestId]) => ({ officerId, requestId }));
}

/** Grants travel grouped by category ({ PERSON_BASIC: ["320500", …] }): a 41-city hub's list stays a short header. */
function packGrants(grants: readonly Grant[]): Record<string, string[]> {
  const packed: Record<string, string[]> = {};
  for (const { category, owner } of grants) (packed[category] ??= []).push(owner);
  return packed;
}

function unpackGrants(packed: unknown): Grant[] {
  if (!packed || typeof packed !== 'object') return [];
  return Object.entries(packed as Record<string, unknown>).flatMap(([category, owners]) =>
    Array.isArray(owners) ? owners.filter((owner): owner is string => typeof owner === 'string').map((owner) => ({ category, owner })) : [],
  );
}

/** `now` (milliseconds) is when the token is issued: a caller that keeps tokens by its own clock signs by that clock too. */
export async function signContextToken(key: SigningKey, subgraph: string, context: RequestContext, now = Date.now()): Promise<string> {
  const { officerId, grants, alsoReadBy, ...claims } = context;
  const readers = alsoReadBy?.length ? { alsoReadBy: alsoReadBy.map((reader) => [reader.officerId, reader.requestId]) } : {};
  return new SignJWT({ ...claims, grants: packGrants(grants), ...readers })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'yrd-context+jwt' })
    .setIssuer(CONTEXT_ISSUER)
    .setAudience(contextAudience(subgraph))
    .setSubject(officerId)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + CONTEXT_LIFETIME_SECONDS)
    .sign(key.privateKey);
}

const MAX_CACHED = 10_000;

/** Checks context tokens at a subgraph: the hub's signature, this subgraph's audience, and age. */
export class ContextVerifier {
  private readonly keys: JWTVerifyGetKey;
  /**
   * Verified tokens until they expire, and tokens being verified: the regions of one hub
   * process receive the same token at the same moment (one per subgraph and request), and
   * should share one verification rather than start one each.
   */
  private readonly verified = new Map<string, { result: Promise<RequestContext>; expiresAt: number }>();

  constructor(hubPublicKeys: JSONWebKeySet) {
    this.keys = createLocalJWKSet(hubPublicKeys);
  }

  verify(token: string, subgraph: string): Promise<RequestContext> {
    const key = `${subgraph}\n${token}`;
    const cached = this.verified.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.result;
    if (this.verified.size >= MAX_CACHED) this.verified.clear();
    // The callbacks run after `entry` is set (a promise never settles synchronously).
    const result: Promise<RequestContext> = this.verifyNow(token, subgraph).then(
      ({ context, expiresAt }) => {
        entry.expiresAt = expiresAt;
        return context;
      },
      (error: unknown) => {
        // A refused token is not remembered: the error is the caller's to see, every time.
        if (this.verified.get(key) === entry) this.verified.delete(key);
        throw error;
      },
    );
    const entry = { result, expiresAt: Infinity };
    this.verified.set(key, entry);
    return result;
  }

  private async verifyNow(token: string, subgraph: string): Promise<{ context: RequestContext; expiresAt: number }> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: CONTEXT_ISSUER,
        audience: contextAudience(subgraph),
        algorithms: ['ES256'],
        typ: 'yrd-context+jwt',
        maxTokenAge: `${CONTEXT_LIFETIME_SECONDS}s`,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw new ContextTokenError(
        error instanceof errors.JWTExpired
          ? 'the context token has expired'
          : error instanceof errors.JWTClaimValidationFailed
            ? `the context token's ${error.claim} claim is not valid here`
            : 'the context token does not verify',
      );
    }
    const context: RequestContext = {
      officerId: String(payload.sub),
      jurisdiction: String(payload.jurisdiction),
      agency: typeof payload.agency === 'string' ? payload.agency : null,
      roles: Array.isArray(payload.roles) ? payload.roles.map(String) : [],
      purpose: typeof payload.purpose === 'string' ? payload.purpose : null,
      grants: unpackGrants(payload.grants),
      requestId: String(payload.requestId ?? ''),
    };
    const readers = readersOf(payload.alsoReadBy);
    if (readers.length) context.alsoReadBy = readers;
    return { context, expiresAt: Number(payload.exp) * 1000 };
  }
}
