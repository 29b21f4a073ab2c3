import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError } from 'graphql';
import { DEVELOPER_ROLE } from '../auth/developer-role';
import type { GatewayContext } from './request-budget';
import type { AuthenticatedRequest } from './authentication';
import { hashOfDocumentId, ManifestError, sha256, TrustedDocuments } from './trusted-documents';

/**
 * How the gateway takes trusted documents (gateway/trusted-documents.ts):
 *
 *  - a request may name a registered document instead of sending it: GraphQL over HTTP's
 *    `documentId` (`"sha256:<hash>"` or the bare hash), or Apollo's APQ extension
 *    `extensions.persistedQuery { version: 1, sha256Hash }`. `documentId` is turned into the APQ
 *    form before Apollo Server reads the request (`withDocumentIdAsPersistedQuery`), and Apollo
 *    Server's own APQ step resolves it from this cache, so everything after (operation limits,
 *    the role rules, planning, the hub's executor, the audit) sees the document exactly as if it
 *    had been sent;
 *  - an unknown hash is answered `PERSISTED_QUERY_NOT_FOUND` (Apollo's APQ answer);
 *  - `accept` (the default): free-form queries are answered as always, and APQ's register-on-miss
 *    works (a query sent with its hash is remembered, in memory, for later requests by hash);
 *  - `require` (`HUB_TRUSTED_DOCUMENTS=require`): only registered documents are answered; any other
 *    query is refused with `TRUSTED_DOCUMENT_REQUIRED` (HTTP 400) unless the caller holds the role
 *    DEVELOPER, and nothing is registered on a miss. Subscriptions (WebSocket, SSE) send their
 *    text: it must be a registered document's, word for word (`subscriptionAdmission`).
 */

export type TrustedDocumentsMode = 'accept' | 'require';

export const TRUSTED_DOCUMENT_REQUIRED = 'TRUSTED_DOCUMENT_REQUIRED';

/** Apollo Server keys its APQ entries with this prefix (PrefixingKeyValueCache). */
const APQ_PREFIX = 'apq:';
/** Queries registered on a miss, kept at most (oldest dropped first). */
const REGISTERED_ON_MISS = 1000;

export interface TrustedDocumentsSettings {
  documents: TrustedDocuments;
  mode: TrustedDocumentsMode;
}

export function trustedDocumentsMode(value: string | undefined): TrustedDocumentsMode {
  if (value === undefined || value === '' || value === 'accept') return 'accept';
  if (value === 'require') return 'require';
  throw new ManifestError(`HUB_TRUSTED_DOCUMENTS=${value}: it is "require" (only registered documents) or "accept" (the default)`);
}

/** Apollo Server's APQ cache: the registered documents, then (not in require mode) what APQ registered on a miss. */
export function trustedDocumentsCache(settings: TrustedDocumentsSettings): KeyValueCache<string> {
  const registeredOnMiss = new Map<string, string>();
  const hashOf = (key: string) => (key.startsWith(APQ_PREFIX) ? key.slice(APQ_PREFIX.length) : key);
  return {
    async get(key) {
      const hash = hashOf(key);
      return settings.documents.get(hash)?.document ?? (settings.mode === 'require' ? undefined : registeredOnMiss.get(hash));
    },
    async set(key, value) {
      if (settings.mode === 'require') return;
      const hash = hashOf(key);
      registeredOnMiss.delete(hash);
      registeredOnMiss.set(hash, value);
      if (registeredOnMiss.size > REGISTERED_ON_MISS) registeredOnMiss.delete(registeredOnMiss.keys().next().value!);
    },
    async delete(key) {
      registeredOnMiss.delete(hashOf(key));
    },
  };
}

/**
 * A request's `documentId` as Apollo's APQ extension, for the POST body or the GET query string
 * (anything else is left as it is).
 */
export function withDocumentIdAsPersistedQuery(request: { body: unknown; search: string }): { body: unknown; search: string } {
  const persistedQuery = (id: string) => ({ version: 1, sha256Hash: hashOfDocumentId(id) });
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && typeof body.documentId === 'string') {
    const { documentId, ...rest } = body;
    const extensions = rest.extensions && typeof rest.extensions === 'object' ? rest.extensions : {};
    return { ...request, body: { ...rest, extensions: { ...extensions, persistedQuery: persistedQuery(documentId as string) } } };
  }
  const params = new URLSearchParams(request.search);
  const documentId = params.get('documentId');
  if (documentId === null) return request;
  let extensions: Record<string, unknown>;
  try {
    extensions = JSON.parse(params.get('extensions') ?? '{}') as Record<string, unknown>;
  } catch {
    return request; // Apollo Server answers the malformed extensions itself
  }
  params.delete('documentId');
  params.set('extensions', JSON.stringify({ ...extensions, persistedQuery: persistedQuery(documentId) }));
  return { ...request, search: `?${params}` };
}

const developer = (auth: AuthenticatedRequest | undefined) => auth?.caller.roles.includes(DEVELOPER_ROLE) ?? false;
const isDeveloper = (context: BaseContext) => developer((context as GatewayContext).auth);

const trustedDocumentRequired = (message: string) => new GraphQLError(message, { extensions: { code: TRUSTED_DOCUMENT_REQUIRED, http: { status: 400 } } });

/** In require mode, refuses every operation that is not a registered document, unless a developer asks. */
export function trustedDocumentsPlugin(settings: TrustedDocumentsSettings): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      // Only what arrives over HTTP is a client's document: the hub's own operations (the live
      // per-event query, run through executeOperation without `http`) are not refused.
      if (settings.mode !== 'require' || !request.http) return;
      // Read before Apollo's APQ step fills in the query: a registered hash, sent alone or with
      // its document (whose hash Apollo checks), is a trusted document; anything else is free-form.
      const hash = request.extensions?.persistedQuery?.sha256Hash;
      const trusted = typeof hash === 'string' && settings.documents.get(hash) !== undefined;
      if (trusted || isDeveloper(contextValue)) return;
      return {
        async didResolveOperation() {
          throw trustedDocumentRequired(
            'This hub answers registered documents only: send the operation\'s "documentId" ("sha256:<hash>", from your persisted-documents.json, registered with yrd-hub documents add) instead of its text',
          );
        },
      };
    },
  };
}

/**
 * Subscriptions (WebSocket, SSE) send their document's text: in require mode it must be a
 * registered document, word for word (its SHA-256 hash registered), unless a developer subscribes.
 */
export function subscriptionAdmission(settings: TrustedDocumentsSettings): (query: string, auth: AuthenticatedRequest | undefined) => GraphQLError | undefined {
  return (query, auth) => {
    if (settings.mode !== 'require' || developer(auth) || settings.documents.get(sha256(query))) return undefined;
    return trustedDocumentRequired(
      'This hub answers registered documents only: subscribe with the text of a registered document, exactly as registered (yrd-hub documents add)',
    );
  };
}
