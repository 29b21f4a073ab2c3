import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import type { SigningKey } from '../../auth/keys';
import { MAX_READERS, Reader, RequestContext } from '../../auth/context-token';
import type { AuthenticatedRequest, RequestAuthenticator } from '../authentication';
import type { RegionConfig } from '../region-config';
import { GatewayContext, RequestRegionBudget } from '../request-budget';
import { decodeEventCursor, FeedPositions } from './event-cursor';
import { buildEventQuery, EventQuery, OFFICER_ID_VARIABLE, WARNING_ID_VARIABLE } from './event-query';
import { RecentCallers } from './recent-callers';
import { ReaderGroups } from './reader-groups';
import type { FeedEvent } from './region-feed';
import { RegionFeeds } from './region-feeds';
import { SharedAnswers } from './shared-answers';
import { SharedResults } from './shared-results';
import { BatchedEventQueries, batchVariables, splitBatchAnswer } from './batched-event-query';
import { EventBatches } from './event-batches';
import {
  liveDeliveries,
  liveDeliveryLag,
  liveEndings,
  liveExecutedEvents,
  liveExecutions,
  liveResolvedAgain,
  LiveStage,
  liveSubscriptions,
  metricsOn,
  showLiveSeries,
} from '../../platform/metrics';
import {
  answerOf,
  eventOf,
  cursorExpired,
  LIVE_CLOSE,
  LiveCloseCode,
  PetitionWarningFilterArgs,
  QueryAnswer,
  WarningEventStream,
} from './warning-event-stream';

/**
 * Live warnings at the gateway: the subscription schema (the supergraph's API schema, whose
 * Subscription type comes from schema/live-events.graphql), the regions' feeds (region-feeds.ts),
 * the limits, and the execution of `petitionWarningEvents` for one subscriber. The transports
 * (transports.ts: graphql-ws and graphql-sse) hand subscriptions here.
 *
 * A reload of regions.yaml reaches the running subscriptions (reconfigure) without ending any
 * that can go on: a region added is followed by new subscriptions that name it or name none, and
 * joins the running ones that named none (from its feed's position at the reload); a region whose
 * endpoint moved is followed there, from where its feed stood; a region removed is no longer
 * followed, and a subscription that followed nothing else ends with UNKNOWN_REGION, in band.
 */

export interface LiveLimits {
  /** Subscriptions one caller (officer id) may hold at once on this gateway. */
  perCaller: number;
  /** Subscriptions this gateway serves at once. */
  perGateway: number;
  /** Events waiting for one subscriber before it is disconnected as too slow. */
  bufferSize: number;
  /** WebSocket ping / SSE comment interval. */
  keepAliveMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = { perCaller: 20, perGateway: 10_000, bufferSize: 1000, keepAliveMs: 12_000 };

const LIMIT_VARIABLES: Record<keyof LiveLimits, string> = {
  perCaller: 'HUB_LIVE_SUBSCRIPTIONS_PER_CALLER',
  perGateway: 'HUB_LIVE_SUBSCRIPTIONS',
  bufferSize: 'HUB_LIVE_BUFFER',
  keepAliveMs: 'HUB_LIVE_KEEPALIVE_MS',
};

/** The limits, from the environment where set (README "Configuration"). */
export function liveLimitsFromEnvironment(env: NodeJS.ProcessEnv = process.env): LiveLimits {
  const limits = { ...DEFAULT_LIVE_LIMITS };
  for (const [key, variable] of Object.entries(LIMIT_VARIABLES) as Array<[keyof LiveLimits, string]>) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (!/^[1-9]\d*$/.test(value)) throw new Error(`${variable} must be a whole number above 0, but got "${value}"`);
    limits[key] = Number(value);
  }
  return limits;
}

/** What a transport knows of one subscriber: who, and how to end its subscription. */
export interface Subscriber {
  headers: IncomingHttpHeaders;
  /** Verified when the subscriber connected (undefined without authentication). */
  auth?: AuthenticatedRequest;
  /** Position to resume from when the operation has no `after` (SSE Last-Event-ID). */
  lastEventId?: string;
  /**
   * Ends the subscription from the gateway's side (a WebSocket closes with the code); with
   * `inBand`, the transport instead receives a last result carrying the error (SSE).
   */
  fail(code: LiveCloseCode, message: string): void;
  inBand?: boolean;
}

/** A running subscription, as a reload of regions.yaml reaches it. */
interface RunningSubscription {
  stream: WarningEventStream;
  /** Named no regions: follows every region, also one added later. */
  everyRegion: boolean;
  /** Ends it with a last result carrying `error` (over WebSocket too: the socket stays, with the caller's other subscriptions). */
  end(error: GraphQLError): void;
}

export class LiveWarnings {
  readonly schema: GraphQLSchema;
  private readonly feeds: RegionFeeds;
  private readonly perCaller = new Map<string, number>();
  private active = 0;
  private readonly answers = new SharedAnswers<QueryAnswer>();
  private readonly sharedResults = new SharedResults();
  private readonly groups = new ReaderGroups<QueryAnswer>(MAX_READERS);
  private readonly callers = new RecentCallers();
  private readonly batches = new EventBatches<RunAs>((runAs, query, eventsVariables) => this.executeEvents(runAs, query, eventsVariables));
  private readonly batchedQueries = new BatchedEventQueries();
  private readonly running = new Set<RunningSubscription>();

  constructor(
    supergraphSdl: string,
    regions: RegionConfig,
    contextKey: SigningKey,
    private readonly server: ApolloServer<GatewayContext>,
    private readonly authenticator: RequestAuthenticator,
    readonly limits: LiveLimits,
    /** With a NATS server, each region's new events are heard through JetStream (nats-region-feed.ts). */
    natsUrl?: string,
  ) {
    this.schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
    showLiveSeries();
    this.feeds = new RegionFeeds(
      regions,
      contextKey,
      {
        joined: (region, head) => {
          for (const subscription of this.running) if (subscription.everyRegion) subscription.stream.addRegion(region, head);
        },
        removed: (region) => {
          for (const subscription of this.running) {
            if (subscription.stream.dropRegion(region) > 0) continue;
            subscription.end(
              new GraphQLError(`region ${region} is no longer served by this hub (it was removed from regions.yaml), and this subscription followed no other`, {
                extensions: { code: 'UNKNOWN_REGION', region },
              }),
            );
          }
        },
      },
      natsUrl,
    );
  }

  /** The regions of a reloaded regions.yaml (checked by the caller), followed by the feeds and the running subscriptions. */
  reconfigure(regions: RegionConfig): void {
    this.feeds.reconfigure(regions);
  }

  /** Authenticates a subscriber as a query's caller is (throws UNAUTHENTICATED and the like). */
  authenticate(headers: IncomingHttpHeaders): Promise<AuthenticatedRequest> {
    return this.authenticator.authenticate(headers);
  }

  /**
   * Runs a `petitionWarningEvents` subscription: an async iterable of results, or one result
   * with the errors that refused it (bad arguments, limits).
   */
  async subscribe(
    document: DocumentNode,
    operationName: string | null | undefined,
    variableValues: Record<string, unknown> | undefined,
    subscriber: Subscriber,
  ): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
    let stream: WarningEventStream;
    const callerId = subscriber.auth?.caller.id ?? 'anonymous';
    // Whom each event is resolved for: the headers its caller context is made from.
    const credentials = JSON.stringify(['authorization', 'x-purpose', 'x-request-id'].map((name) => String(subscriber.headers[name] ?? '')));
    try {
      const query = this.eventQueryOf(document, operationName, variableValues);
      const args = this.argumentsOf(query, variableValues);
      if (this.active >= this.limits.perGateway)
        throw limitError(`this gateway serves at most ${this.limits.perGateway} subscriptions at once; try again later or another gateway`);
      if ((this.perCaller.get(callerId) ?? 0) >= this.limits.perCaller)
        throw limitError(`you hold ${this.limits.perCaller} subscriptions already, the most one caller may; end one first`);
      // The place is taken before anything is awaited, so that concurrent subscribes cannot pass the limits together.
      this.active += 1;
      if (metricsOn) liveSubscriptions.inc();
      this.perCaller.set(callerId, (this.perCaller.get(callerId) ?? 0) + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.active -= 1;
        if (metricsOn) liveSubscriptions.dec();
        const held = (this.perCaller.get(callerId) ?? 1) - 1;
        if (held > 0) this.perCaller.set(callerId, held);
        else this.perCaller.delete(callerId);
      };
      let positions: FeedPositions;
      try {
        await this.checkSelection(query, args.regions[0], subscriber, credentials);
        positions = await this.startPositions(args.regions, args.after ?? subscriber.lastEventId);
      } catch (error) {
        release();
        throw error;
      }
      let failure: GraphQLError | undefined;
      // In band (a last result with the error, then the end): over WebSocket the socket and its other subscriptions stay.
      const end = (error: GraphQLError) => {
        if (failure) return;
        failure = error;
        clearTimeout(expiry);
        stream.close();
      };
      const fail = (code: LiveCloseCode, message: string) => {
        if (failure) return;
        if (metricsOn) liveEndings.labels(code.name).inc();
        failure = new GraphQLError(message, { extensions: { code: code.name, closeCode: code.code } });
        clearTimeout(expiry);
        if (!subscriber.inBand) subscriber.fail(code, message);
        stream.close();
      };
      // An expired token ends the subscription when it expires, whether or not events come.
      const expiresInMs = subscriber.auth ? subscriber.auth.caller.expiresAt * 1000 - Date.now() : Infinity;
      const expiry = setTimeout(
        () => fail(LIVE_CLOSE.UNAUTHENTICATED, 'Unauthenticated: the token has expired; subscribe again with a new one'),
        Math.min(Math.max(expiresInMs, 0), 2 ** 31 - 1),
      );
      expiry.unref();
      stream = new WarningEventStream({
        feeds: this.feeds.byRegion,
        positions,
        filter: args.filter,
        query,
        bufferSize: this.limits.bufferSize,
        runQuery: (text, variables, sharedByRights) => this.runAs(subscriber, credentials, text, variables, sharedByRights),
        fail,
        resolvedAgain: metricsOn ? () => liveResolvedAgain.labels().inc() : undefined,
      });
      const running: RunningSubscription = { stream, everyRegion: args.everyRegion, end };
      this.running.add(running);
      // A region a reload added while this one was being set up with the regions as they were.
      if (args.everyRegion) for (const [region, head] of this.feeds.joined()) stream.addRegion(region, head);
      return this.results(
        stream,
        query,
        document,
        operationName,
        variableValues,
        () => {
          clearTimeout(expiry);
          this.running.delete(running);
          release();
        },
        () => failure,
      );
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
  }

  /** Each payload executed against the subscription's own selection (aliases, __typename, fragments). */
  private async *results(
    stream: WarningEventStream,
    query: EventQuery,
    document: DocumentNode,
    operationName: string | null | undefined,
    variableValues: Record<string, unknown> | undefined,
    release: () => void,
    failure: () => GraphQLError | undefined,
  ): AsyncGenerator<ExecutionResult> {
    try {
      const selection = { schema: this.schema, document, operationName, variableValues, query };
      for await (const payload of stream) {
        const result = await this.sharedResults.resultOf(selection, payload, answerOf(payload));
        if (metricsOn) recordDelivery(eventOf(payload));
        yield result;
      }
      const failed = failure();
      if (failed) yield { errors: [failed] };
    } finally {
      stream.close();
      release();
    }
  }

  /**
   * Runs the per-event query once for no warning: what the gateway refuses before planning
   * (operation limits, fields the caller's roles can never read) would refuse every event, and
   * is the subscription's error instead of a silence.
   */
  private async checkSelection(query: EventQuery, region: string, subscriber: Subscriber, credentials: string): Promise<void> {
    const variables = { ...query.variables, [WARNING_ID_VARIABLE]: `${region}:0`, [OFFICER_ID_VARIABLE]: `${region}:0` };
    // Alone, never in a batch: there an error of no path may be another event's.
    const auth = subscriber.auth && (await this.callerOf(subscriber, credentials));
    const trial = await this.execute(auth, query.withOfficer, variables, 1);
    const refusal = trial.errors?.find((error) => !error.path);
    if (refusal) throw new GraphQLError(refusal.message, { extensions: refusal.extensions });
  }

  /**
   * The per-event query as the subscriber, with its caller checked again (token, roster and
   * grants as they are now; a check at most a second old, recent-callers.ts). Whoever has the
   * same rights (jurisdiction, agency, roles, purpose, grants) gets the same answer, so the
   * probe, which reads no personal data and writes no audit row, is shared by them while in
   * flight (shared-answers.ts), and the selection runs once for each group of them asking at the
   * same moment, naming every member so that each one's reads are audited (reader-groups.ts).
   */
  private async runAs(subscriber: Subscriber, credentials: string, query: string, variables: Record<string, unknown>, probe = false): Promise<QueryAnswer> {
    const asked = this.askedKeyOf(query, variables);
    const stage: LiveStage = probe ? 'probe' : 'selection';
    if (!subscriber.auth) return this.answers.run(asked, () => this.batches.run(this.laneOf('', '', query, variables), { stage }, query, variables));
    const auth = await this.callerOf(subscriber, credentials);
    const rights = rightsOf(auth.context);
    const key = `${rights}\n${asked}`;
    // The probe reads nothing personal and writes no audit row: whoever of these rights runs it, the answer is the same.
    if (probe) return this.answers.run(key, () => this.batches.run(this.laneOf(rights, '', query, variables), { auth, stage }, query, variables));
    return this.groups.run(key, auth, (leader, readers) => this.runForReaders(rights, leader, readers, query, variables));
  }

  /** The subscriber's caller as checked now (at most a second ago, recent-callers.ts). */
  private callerOf(subscriber: Subscriber, credentials: string): Promise<AuthenticatedRequest> {
    return this.callers.get(credentials, () => this.authenticate({ ...subscriber.headers, 'x-request-id': this.requestIdOf(subscriber, credentials) }));
  }

  /**
   * The batch lane of an execution (event-batches.ts): everything its answer depends on but the
   * event — the rights, the readers named (each one's reads are audited), the query and the
   * subscription's variables — so that events of one lane can run as one operation; and the
   * warning's region, so that a region slow to answer holds up only its own events.
   */
  private laneOf(rights: string, readers: string, query: string, variables: Record<string, unknown>): string {
    const shared = Object.entries(variables).filter(([name]) => name !== WARNING_ID_VARIABLE && name !== OFFICER_ID_VARIABLE);
    const region = String(variables[WARNING_ID_VARIABLE]).split(':')[0];
    return `${region}\n${rights}\n${readers}\n${this.queryIdOf(query)} ${JSON.stringify(shared)}`;
  }

  private readonly askedKeys = new WeakMap<Record<string, unknown>, { query: string; key: string }>();
  /**
   * The query and its variables as a key: asked for every event by every subscriber, with the
   * event's one variables object (warning-event-stream.ts), so made once per event, not per subscriber.
   */
  private askedKeyOf(query: string, variables: Record<string, unknown>): string {
    const kept = this.askedKeys.get(variables);
    if (kept?.query === query) return kept.key;
    const key = `${this.queryIdOf(query)} ${JSON.stringify(variables)}`;
    this.askedKeys.set(variables, { query, key });
    return key;
  }

  private readonly eventQueries = new WeakMap<DocumentNode, Map<string, EventQuery>>();
  /**
   * The per-event query of a subscription, built once for every subscriber of the same document
   * (subscription-documents.ts shares it) and variables: an idle subscriber keeps no copy of its own.
   */
  private eventQueryOf(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): EventQuery {
    let built = this.eventQueries.get(document);
    if (!built) this.eventQueries.set(document, (built = new Map()));
    const key = JSON.stringify([operationName ?? null, variables ?? {}]);
    let query = built.get(key);
    if (!query) {
      query = buildEventQuery(document, operationName, variables);
      if (built.size < 100) built.set(key, query);
    }
    return query;
  }

  private readonly queryIds = new Map<string, number>();
  /** Never given twice, also after the map is cleared: a key kept for an event must not come to mean another query. */
  private nextQueryId = 1;
  /** A short stand-in for a per-event query's text (a subscription's texts are the same string from event to event). */
  private queryIdOf(query: string): number {
    let id = this.queryIds.get(query);
    if (id === undefined) {
      if (this.queryIds.size >= 10_000) this.queryIds.clear();
      this.queryIds.set(query, (id = this.nextQueryId++));
    }
    return id;
  }

  private readonly requestIds = new Map<string, string>();
  /**
   * The request id of a subscriber's per-event reads, in their log lines and audit rows: its
   * own `X-Request-Id`, else one kept for its credentials, so that the rows one subscription
   * causes share an id (and a group of readers stays the same group from event to event).
   */
  private requestIdOf(subscriber: Subscriber, credentials: string): string {
    const given = subscriber.headers['x-request-id'];
    if (typeof given === 'string' && given) return given;
    let id = this.requestIds.get(credentials);
    if (!id) {
      if (this.requestIds.size >= 10_000) this.requestIds.clear();
      this.requestIds.set(credentials, (id = randomUUID()));
    }
    return id;
  }

  /** A group's execution: as its leader, naming the other readers; their context tokens are signed once while the leader's check is fresh. */
  private runForReaders(
    rights: string,
    leader: AuthenticatedRequest,
    readers: readonly Reader[],
    query: string,
    variables: Record<string, unknown>,
  ): Promise<QueryAnswer> {
    const names = readers.map((reader) => `${reader.officerId} ${reader.requestId}`).join('\n');
    // Led by any of them, the same members are the same reads: the lane names them in one order.
    const members = [`${leader.context.officerId} ${leader.context.requestId}`, ...(names ? names.split('\n') : [])].sort().join('\n');
    const lane = this.laneOf(rights, members, query, variables);
    if (!readers.length) return this.batches.run(lane, { auth: leader, stage: 'selection' }, query, variables);
    let shared = this.sharedContexts.get(leader);
    if (shared?.names !== names) this.sharedContexts.set(leader, (shared = { names, auth: this.authenticator.alsoReadBy(leader, readers) }));
    return this.batches.run(lane, { auth: shared.auth, stage: 'selection' }, query, variables);
  }
  private readonly sharedContexts = new WeakMap<AuthenticatedRequest, { names: string; auth: AuthenticatedRequest }>();

  /** Events of one lane as one operation (batched-event-query.ts); one event as its own per-event query. */
  private async executeEvents({ auth, stage }: RunAs, query: string, eventsVariables: readonly Record<string, unknown>[]): Promise<QueryAnswer[]> {
    if (metricsOn) {
      liveExecutions.labels(stage).inc();
      liveExecutedEvents.labels(stage).inc(eventsVariables.length);
    }
    if (eventsVariables.length === 1) return [await this.execute(auth, query, eventsVariables[0], 1)];
    const text = this.batchedQueries.textFor(query, eventsVariables.length);
    return splitBatchAnswer(await this.execute(auth, text, batchVariables(eventsVariables), eventsVariables.length), eventsVariables.length);
  }

  /** The per-event query (`events` copies of it) through the gateway's own pipeline, in the caller's context. */
  private async execute(auth: AuthenticatedRequest | undefined, query: string, variables: Record<string, unknown>, events: number): Promise<QueryAnswer> {
    const regionBudget = new RequestRegionBudget();
    try {
      const response = await this.server.executeOperation({ query, variables }, { contextValue: { regionBudget, auth, liveEvents: events } });
      if (response.body.kind !== 'single') throw new Error('the per-event query answered incrementally');
      return response.body.singleResult as QueryAnswer;
    } finally {
      regionBudget.finish();
    }
  }

  private argumentsOf(query: EventQuery, variableValues: Record<string, unknown> | undefined) {
    // Coerced as graphql-js coerces them for any field: defaults, enums, lists, input objects.
    const variables = getVariableValues(this.schema, query.operation.variableDefinitions ?? [], variableValues ?? {});
    if (variables.errors) throw variables.errors[0];
    const field = this.schema.getSubscriptionType()!.getFields().petitionWarningEvents;
    const args = getArgumentValues(field, query.rootField, variables.coerced) as {
      regions?: string[] | null;
      filter?: PetitionWarningFilterArgs | null;
      after?: string | null;
    };
    const known = this.feeds.codes();
    for (const [index, code] of (args.regions ?? []).entries()) {
      if (!known.includes(code)) throw unknownRegion(code, `regions[${index}]`, known);
    }
    const filter = args.filter ?? null;
    if (filter?.raisedIn && !/^\d{2,9}$/.test(filter.raisedIn))
      throw badInput('filter.raisedIn', 'must be a jurisdiction code or its leading digits, such as "3304"');
    if (filter?.subjectRegion && !/^\d{6}$/.test(filter.subjectRegion)) throw badInput('filter.subjectRegion', 'must be a 6-digit region code');
    const everyRegion = !args.regions?.length;
    return { regions: everyRegion ? known : [...new Set(args.regions)], everyRegion, filter, after: args.after ?? null };
  }

  /** Each region's position to start after: the cursor's, else where the region's feed stands now. */
  private async startPositions(regions: string[], after: string | null | undefined): Promise<FeedPositions> {
    const resumed = after ? decodeEventCursor(after) : undefined;
    const positions: FeedPositions = new Map();
    await Promise.all(
      regions.map(async (region) => {
        const feed = this.feeds.byRegion.get(region);
        if (!feed) throw unknownRegion(region, 'regions'); // removed by a reload since the arguments were read
        const position = resumed?.get(region);
        // A cursor older than what the region keeps is refused now, as the subscription's error.
        if (position !== undefined && (await this.feeds.page(feed, position)).pruned > position) throw cursorExpired(region);
        positions.set(region, position ?? (await this.feeds.headOf(feed)));
      }),
    );
    for (const region of regions) this.feeds.start(region);
    // In the order asked, so that catching up goes region by region as listed.
    return new Map(regions.map((region) => [region, positions.get(region)!]));
  }

  stop(): void {
    this.feeds.stop();
  }
}

/** Whom a lane's executions run as, and which step of resolving an event they are. */
interface RunAs {
  auth?: AuthenticatedRequest;
  stage: LiveStage;
}

/** Delivered: counted, and how long after its transaction (the region's clock, as `at` says). */
function recordDelivery(event: FeedEvent | undefined): void {
  liveDeliveries.labels().inc();
  if (event) liveDeliveryLag.labels().observe(Math.max(0, Date.now() - committedAt(event)) / 1000);
}
const committedAtOf = new WeakMap<FeedEvent, number>();
/** Parsed once per event, not per subscriber. */
function committedAt(event: FeedEvent): number {
  let at = committedAtOf.get(event);
  if (at === undefined) committedAtOf.set(event, (at = Date.parse(event.at)));
  return at;
}

/** What a caller's answers depend on besides the query: everything of its context but who and which request. */
function rightsOf(context: RequestContext): string {
  let rights = rightsKeys.get(context);
  if (rights === undefined) {
    const grants = context.grants.map((grant) => `${grant.category}:${grant.owner}`).sort();
    rights = JSON.stringify({ jurisdiction: context.jurisdiction, agency: context.agency, roles: [...context.roles].sort(), purpose: context.purpose, grants });
    rightsKeys.set(context, rights);
  }
  return rights;
}
/** Per verified context (one a second per subscriber's credentials, recent-callers.ts). */
const rightsKeys = new WeakMap<RequestContext, string>();

function unknownRegion(code: string, field: string, known?: readonly string[]): GraphQLError {
  return new GraphQLError(`${field}: this hub serves no region ${code}${known ? `; it serves ${known.join(', ')}` : ''}`, {
    extensions: { code: 'UNKNOWN_REGION', field },
  });
}

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
}

function badInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}
