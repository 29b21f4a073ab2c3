import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Caller } from '../auth/caller-token';
import { AuthenticationError, CallerVerifier, IdentitySettings } from '../auth/caller-verifier';
import { Reader, requestContextOf, RequestContext, signContextToken } from '../auth/context-token';
import type { SigningKey } from '../auth/keys';
import type { GrantsSource } from './grants';
import { RosterCheck, RosterUnavailableError } from './roster';
import { AuthRefusalReason, authRefusals, metricsOn } from '../platform/metrics';
import { logger } from '../platform/logger';

/**
 * The gateway's door: every GraphQL request must carry a caller token from a trusted identity
 * provider (`Authorization: Bearer …`). It is verified before anything is planned or sent; a
 * request without a valid one gets HTTP 401 and reaches no subgraph. What the gateway then
 * forwards is not the caller's token but a context token it signs itself, per subgraph. With
 * a roster (the hub's personnel records), an officer's token is accepted only for an active
 * officer of the roster, with the jurisdiction and roles the roster gives (gateway/roster.ts).
 */

export interface GatewayAuthSettings {
  identity: IdentitySettings;
  /** The hub's key for context tokens; subgraphs hold its public half. */
  contextKey: SigningKey;
  /** The subgraph that knows sharing agreements (the hub's directory); without it, callers hold no grants. */
  grantsFrom?: string;
  /**
   * The regional subgraph that keeps each region's officers (the hub's personnel); without it,
   * a token's claims are taken on the provider's word alone (a plain supergraph has no roster).
   */
  rosterFrom?: string;
}

/** What a request carries through the gateway once its caller is known. */
export interface AuthenticatedRequest {
  caller: Caller;
  context: RequestContext;
  /** The context token for one subgraph, signed once per request and subgraph. */
  contextTokenFor(subgraph: string): Promise<string>;
}

const PURPOSE = /^[A-Za-z][\w.-]{0,63}$/;
const REQUEST_ID = /^[\w.-]{1,64}$/;

function rosterUnavailable(region: string): GraphQLError {
  return new GraphQLError(`The roster of region ${region} could not be checked, so the caller is not let in; try again shortly`, {
    extensions: { code: 'ROSTER_UNAVAILABLE', region, http: { status: 503 } },
  });
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(`${message}. Send "Authorization: Bearer <token>" with a token from your province's identity provider.`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Counts the refusal under its reason (a fixed set: platform/metrics.ts) and gives back the error to throw. */
function refuse(reason: AuthRefusalReason, error: GraphQLError): GraphQLError {
  if (metricsOn) authRefusals.labels(reason).inc();
  return error;
}

export class RequestAuthenticator {
  private readonly verifier: CallerVerifier;

  constructor(
    private readonly settings: GatewayAuthSettings,
    private readonly grants?: GrantsSource,
    private readonly roster?: RosterCheck,
  ) {
    this.verifier = new CallerVerifier(settings.identity);
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<AuthenticatedRequest> {
    const authorization = header(headers, 'authorization');
    if (!authorization) throw refuse('no_credentials', unauthenticated('No credentials'));
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization.trim());
    if (!match) throw refuse('not_bearer', unauthenticated('The Authorization header is not a bearer token'));
    let caller: Caller;
    try {
      caller = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof AuthenticationError) throw refuse('token_rejected', unauthenticated(`Not accepted: ${error.message}`));
      throw error;
    }
    if (this.roster && !caller.id.startsWith('service:')) caller = await this.confirmOnRoster(caller);
    const purpose = header(headers, 'x-purpose');
    if (purpose !== undefined && !PURPOSE.test(purpose)) {
      throw refuse(
        'bad_purpose',
        new GraphQLError('X-Purpose: must be a short name such as "petition-handling"', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } }),
      );
    }
    const requestId = header(headers, 'x-request-id');
    const grants = this.grants ? await this.grants.grantsFor(caller.jurisdiction) : [];
    const context = requestContextOf(caller, purpose ?? null, grants, requestId && REQUEST_ID.test(requestId) ? requestId : randomUUID());
    return this.authenticated(caller, context);
  }

  /**
   * `request` asking also for `readers`, officers of exactly its rights who receive its answer
   * as it is (live-events' reader-groups.ts): the same caller, whose context tokens name them,
   * so that every region audits their reads too.
   */
  alsoReadBy(request: AuthenticatedRequest, readers: readonly Reader[]): AuthenticatedRequest {
    return this.authenticated(request.caller, { ...request.context, alsoReadBy: readers });
  }

  private authenticated(caller: Caller, context: RequestContext): AuthenticatedRequest {
    const signed = new Map<string, Promise<string>>();
    return {
      caller,
      context,
      contextTokenFor: (subgraph) => {
        let token = signed.get(subgraph);
        if (!token) signed.set(subgraph, (token = signContextToken(this.settings.contextKey, subgraph, context)));
        return token;
      },
    };
  }

  /** Service identities come from the hub's own issuer for its own regions and are no officers: they skip this. */
  private async confirmOnRoster(caller: Caller): Promise<Caller> {
    let confirmed;
    try {
      confirmed = await this.roster!.confirm(caller);
    } catch (error) {
      if (error instanceof RosterUnavailableError) {
        logger.warn(`[gateway] roster of ${error.region} unavailable, caller ${caller.id} refused: ${error.message}`);
        throw refuse('roster_unavailable', rosterUnavailable(error.region));
      }
      throw error;
    }
    if ('refused' in confirmed) throw refuse('roster_refused', unauthenticated(`Not accepted: ${confirmed.refused}`));
    return confirmed;
  }
}
