import { GraphQLError } from 'graphql';
import { BoundedQueue } from './bounded-queue';
import { liveTurn } from './live-turns';
import { encodeEventCursor, FeedPositions } from './event-cursor';
import { EventQuery, OFFICER_ID_VARIABLE, PROBE_KEY, WARNING_ID_VARIABLE } from './event-query';
import { FeedEvent, positionBefore, RegionFeed } from './region-feed';

/**
 * One subscriber's stream of warning events: first what it missed (each region's feed read
 * from the subscriber's position), then what arrives live, each region in its own order. Every
 * event is resolved by running the per-event query as the subscriber, with a context made
 * afresh (token, roster and grants as they are now): what the subscriber may not see is
 * skipped without a trace, and what the filter does not match likewise. The cursor of each
 * delivered event holds every region's position, skipped events included, so a resumed stream
 * repeats nothing and misses nothing. A reload of regions.yaml may add a region to a running
 * stream (addRegion: from a position, caught up like the others) or take one out (dropRegion:
 * not followed any more; its position stays in the cursor for a later return).
 */

export interface PetitionWarningFilterArgs {
  levels?: string[] | null;
  kinds?: string[] | null;
  statuses?: string[] | null;
  raisedIn?: string | null;
  subjectRegion?: string | null;
  raisedFrom?: string | null;
  raisedUntil?: string | null;
}

/** What the per-event query answers, as a query over HTTP would. */
export interface QueryAnswer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the per-event answer is JSON of the caller's own selection
  data?: Record<string, any> | null;
  errors?: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>;
}

/** The event as the subscription's selection reads it: values by the client's response keys. */
export type EventPayload = Record<string, Record<string, unknown>> & { errors?: QueryAnswer['errors'] };

/**
 * Where a payload came from (not enumerable: never part of the event): the per-event answer it
 * was made from, shared by its readers so that their results can be too, and the event.
 */
const ORIGIN = Symbol('origin');
interface PayloadOrigin {
  answer: QueryAnswer;
  event: FeedEvent;
}
export const answerOf = (payload: EventPayload): QueryAnswer | undefined => (payload as { [ORIGIN]?: PayloadOrigin })[ORIGIN]?.answer;
export const eventOf = (payload: EventPayload): FeedEvent | undefined => (payload as { [ORIGIN]?: PayloadOrigin })[ORIGIN]?.event;

export interface StreamOptions {
  feeds: Map<string, RegionFeed>;
  positions: FeedPositions;
  filter: PetitionWarningFilterArgs | null;
  query: EventQuery;
  /**
   * Runs the per-event query as the subscriber; throws a GraphQLError when the subscriber is no
   * longer let in. `sharedByRights`: the probe, whose answer may be shared by callers of the same rights.
   */
  runQuery(query: string, variables: Record<string, unknown>, sharedByRights?: boolean): Promise<QueryAnswer>;
  /** Most events waiting for a subscriber before it counts as too slow. */
  bufferSize: number;
  /** Ends the subscription for good (too slow, no longer authenticated, events unreadable). */
  fail(code: LiveCloseCode, message: string): void;
  /** Told when an event resolved ahead was no longer fresh in its turn and is resolved again (metrics). */
  resolvedAgain?(): void;
}

/** Why a live subscription was ended by the gateway: WebSocket close codes (SSE: the error's extensions.code). */
export const LIVE_CLOSE = {
  UNAUTHENTICATED: { code: 4401, name: 'UNAUTHENTICATED' },
  SLOW_SUBSCRIBER: { code: 4413, name: 'SLOW_SUBSCRIBER' },
  CURSOR_EXPIRED: { code: 4410, name: 'CURSOR_EXPIRED' },
  EVENTS_UNAVAILABLE: { code: 4503, name: 'EVENTS_UNAVAILABLE' },
} as const;
export type LiveCloseCode = (typeof LIVE_CLOSE)[keyof typeof LIVE_CLOSE];

/** Transient answers: the event is tried again, never skipped on their account. */
const TRANSIENT = new Set(['REGION_UNAVAILABLE', 'ROSTER_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'AUDIT_UNAVAILABLE']);
const ATTEMPTS = 5;
/** Events waiting in a stream's queue up to which it counts as keeping up (its next events are resolved when heard). */
const IN_STEP_QUEUE = 2;
const RETRY_MS = 1000;
/**
 * Catching up, a stream resolves the next events of the page together with the one whose turn
 * it is (event-batches.ts runs them as one operation), as many as it delivers within FRESH_MS;
 * one resolved ahead but older than that when its turn comes is resolved again, so a revoked
 * agreement also stops those within a second more.
 */
const FRESH_MS = 1000;
const MOST_AHEAD = 16;

/** A feed's event for the stream, or (no event) the order to catch a region up: one just added. */
type LiveItem = { region: string; event?: FeedEvent };

export class WarningEventStream implements AsyncIterableIterator<EventPayload> {
  private readonly live: BoundedQueue<LiveItem>;
  /**
   * Each event's resolution for this subscriber (the probe, then the selection when it passes),
   * started when the feed relays the event (while the stream keeps up) rather than when this
   * stream's turn comes: so every subscriber resolves an event in the same moment, and those of
   * equal rights share its execution (live-warnings.ts); while catching up, started for a few
   * events ahead, to run as one operation. Taken when the event is delivered or
   * passed over, whether it comes from the live queue or from a page read while catching up, so
   * none runs twice.
   */
  private readonly resolutions = new Map<string, { answer: Promise<QueryAnswer | undefined>; startedAt: number; ahead: boolean }>();
  /** Milliseconds between this stream's deliveries, smoothed: how many events it can resolve ahead and still deliver fresh (at first, as many as may be). */
  private pace = FRESH_MS / MOST_AHEAD;
  private lastDelivered = 0;
  private readonly out: BoundedQueue<EventPayload>;
  /** The regions followed, each with the way to stop listening to its feed. */
  private readonly listeners = new Map<string, () => void>();
  private closed = false;

  /** Whether each event is probed before its selection is asked: not for a subscription with no filter and no `officer` (see resolveEvent). */
  private readonly probeFirst: boolean;

  constructor(private readonly options: StreamOptions) {
    this.probeFirst = options.query.selectsOfficer || !unfiltered(options.filter);
    this.live = new BoundedQueue(options.bufferSize);
    this.out = new BoundedQueue(options.bufferSize);
    // Listen before catching up, so that nothing committed meanwhile falls between the two.
    for (const region of options.positions.keys()) this.listen(region);
    void this.run();
  }

  private listen(region: string): void {
    const feed = this.options.feeds.get(region);
    if (!feed) return; // removed by a reload while the subscription was being set up

    const listener = (event: FeedEvent) => {
      if (this.closed || event.seq <= this.options.positions.get(region)!) return;
      // Resolved now, with every other subscriber, while this stream keeps up; one that has fallen
      // behind resolves each event in its turn, so that a gateway with more to deliver than it can
      // lets events wait in the subscribers' queues instead of starting ever more at once.
      if (this.live.length < IN_STEP_QUEUE) this.resolutionOf(region, event);
      if (!this.live.push({ region, event })) this.tooSlow();
    };
    feed.on('event', listener);
    this.listeners.set(region, () => feed.off('event', listener));
  }

  /** Follows `region` too, from `position` on: caught up in turn, then live (a region added by a reload). */
  addRegion(region: string, position: number): void {
    if (this.closed || this.listeners.has(region)) return;
    this.options.positions.set(region, position);
    // Listening first, then the order to catch up: what the feed relays meanwhile is read by either.
    this.listen(region);
    if (!this.live.push({ region })) this.tooSlow();
  }

  /** Stops following `region` (removed by a reload); returns how many regions are still followed. */
  dropRegion(region: string): number {
    this.listeners.get(region)?.();
    this.listeners.delete(region);
    for (const key of this.resolutions.keys()) if (key.startsWith(`${region}:`)) this.resolutions.delete(key);
    return this.listeners.size;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<EventPayload>> {
    return this.out.next();
  }

  async return(): Promise<IteratorResult<EventPayload>> {
    this.close();
    return { value: undefined, done: true };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.forEach((off) => off());
    this.listeners.clear();
    this.live.clear();
    this.out.end();
  }

  private tooSlow(): void {
    this.options.fail(LIVE_CLOSE.SLOW_SUBSCRIBER, `slow subscriber: more than ${this.options.bufferSize} events waited; resume with the last cursor`);
    this.close();
  }

  private async run(): Promise<void> {
    try {
      for (const region of [...this.options.positions.keys()]) await this.catchUp(region);
      for (;;) {
        const item = await this.live.next();
        if (item.done || this.closed) return;

        const { region, event } = item.value;
        if (!this.listeners.has(region)) continue; // removed since
        if (!event) {
          await this.catchUp(region);
          continue;
        }
        const position = this.options.positions.get(region)!;
        if (event.seq <= position) this.resolutions.delete(`${region}:${event.seq}`);
        // A jump means events this gateway's feed did not relay to us (it started later than
        // our position): read them from the region first; this event comes with them.
        else if (positionBefore(event) > position) await this.catchUp(region);
        else await this.deliver(region, event);
      }
    } catch (error) {
      if (this.closed) return;
      const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
      if (code === 'UNAUTHENTICATED') {
        this.options.fail(LIVE_CLOSE.UNAUTHENTICATED, (error as Error).message);
      } else if (code === 'CURSOR_EXPIRED') {
        this.options.fail(LIVE_CLOSE.CURSOR_EXPIRED, (error as Error).message);
      } else {
        this.options.fail(LIVE_CLOSE.EVENTS_UNAVAILABLE, `${(error as Error).message}; resume with the last cursor`);
      }
      this.close();
    }
  }

  /** Reads a region's feed from the subscriber's position until it is current. */
  private async catchUp(region: string): Promise<void> {
    for (;;) {
      const feed = this.options.feeds.get(region);
      if (this.closed || !feed || !this.listeners.has(region)) return;
      let page;
      try {
        page = await feed.page(this.options.positions.get(region)!);
      } catch (error) {
        if (!this.listeners.has(region)) return; // removed while being read: nothing more to read of it
        throw error;
      }
      if (page.pruned > this.options.positions.get(region)!) {
        throw cursorExpired(region);
      }
      if (!page.events.length) return;
      for (const [index, event] of page.events.entries()) {
        if (event.seq > this.options.positions.get(region)!) await this.deliver(region, event, page.events.slice(index + 1, index + MOST_AHEAD));
      }
    }
  }

  /** The event's resolution for this subscriber: the one under way, else started now. */
  private resolutionOf(region: string, event: FeedEvent, ahead = false): Promise<QueryAnswer | undefined> {
    const key = `${region}:${event.seq}`;
    let resolution = this.resolutions.get(key);
    if (!resolution) {
      resolution = { answer: this.resolveEvent(event), startedAt: performance.now(), ahead };
      // Awaited in its turn, when a failure ends the stream; until then it must not count as unhandled.
      resolution.answer.catch(() => undefined);
      this.resolutions.set(key, resolution);
    }
    return resolution.answer;
  }

  /**
   * The resolution of the event whose turn it is: the one under way, else (or one resolved ahead
   * that is no longer fresh) started now, with those of the `upcoming` events of its region
   * that this stream delivers within FRESH_MS.
   */
  private resolutionInTurn(region: string, event: FeedEvent, upcoming: readonly FeedEvent[]): Promise<QueryAnswer | undefined> {
    const key = `${region}:${event.seq}`;
    const resolution = this.resolutions.get(key);
    if (resolution && (!resolution.ahead || performance.now() - resolution.startedAt <= FRESH_MS)) return resolution.answer;
    if (resolution) this.options.resolvedAgain?.();
    this.resolutions.delete(key);
    const answer = this.resolutionOf(region, event);
    const ahead = Math.min(upcoming.length, Math.floor(FRESH_MS / Math.max(this.pace, 1)) - 1);
    for (const next of upcoming.slice(0, ahead)) this.resolutionOf(region, next, true);
    return answer;
  }

  private async resolveEvent(event: FeedEvent): Promise<QueryAnswer | undefined> {
    // With no filter and nothing but the warning selected, the selection is its own probe: of a
    // warning the subscriber may not see it reads nothing (null), and every other is delivered.
    if (!this.probeFirst) return this.resolve(event, false);
    // First whether it is for this subscriber at all; only then the selection, with its personal data.
    const probed = await this.resolve(event, true);
    const wanted = !!probed && !this.closed && !!probed.data?.[PROBE_KEY] && matches(this.options.filter, probed.data[PROBE_KEY]);
    return wanted ? this.resolve(event, false) : undefined;
  }

  /** Delivers `event` when its resolution is in (and its turn has come); `upcoming`: the events after it read with it, to resolve ahead. */
  private async deliver(region: string, event: FeedEvent, upcoming: readonly FeedEvent[] = []): Promise<void> {
    let answer: QueryAnswer | undefined;
    try {
      answer = await this.resolutionInTurn(region, event, upcoming);
    } finally {
      this.resolutions.delete(`${region}:${event.seq}`);
    }
    const now = performance.now();
    if (this.lastDelivered) this.pace = 0.8 * this.pace + 0.2 * Math.min(now - this.lastDelivered, FRESH_MS);
    this.lastDelivered = now;
    // Resolutions finish for every subscriber at once: the deliveries take turns with the gateway's other work.
    // Asked again after each wait: everyone waiting wakes at once, and only a slice's worth goes on.
    for (let turn = liveTurn(); turn; turn = liveTurn()) await turn;
    this.options.positions.set(region, event.seq);
    if (this.closed || !answer || !this.listeners.has(region)) return;
    const probe = answer.data?.[PROBE_KEY];
    if (!probe || !matches(this.options.filter, probe)) return;
    const query = this.options.query;
    const value: Record<string, unknown> = {};
    const errors: NonNullable<QueryAnswer['errors']>[number][] = [];
    for (const field of query.fields) {
      if (field.queryKey) {
        value[field.responseKey] = answer.data?.[field.queryKey] ?? null;
        for (const error of answer.errors ?? []) {
          if (error.path?.[0] === field.queryKey) errors.push({ ...error, path: [query.rootKey, field.responseKey, ...error.path.slice(1)] });
        }
      } else {
        value[field.responseKey] = eventValue(field.name, region, event, this.options.positions);
      }
    }
    const payload = { [query.rootKey]: value, ...(errors.length ? { errors } : {}) } as EventPayload;
    Object.defineProperty(payload, ORIGIN, { value: { answer, event } satisfies PayloadOrigin, enumerable: false });
    if (!this.out.push(payload)) this.tooSlow();
  }

  /** The per-event query's answer; undefined when the warning is gone. Transient failures are tried again. */
  private async resolve(event: FeedEvent, probeOnly: boolean): Promise<QueryAnswer | undefined> {
    const query = this.options.query;
    const variables = eventVariables(event, probeOnly ? undefined : query);
    const text = probeOnly ? query.probeOnly : event.officerId ? query.withOfficer : query.withoutOfficer;
    for (let attempt = 1; ; attempt++) {
      let answer: QueryAnswer;
      try {
        answer = await this.options.runQuery(text, variables, probeOnly);
      } catch (error) {
        // The subscriber could not be checked just now (the roster did not answer): as a failed answer.
        if (!(error instanceof GraphQLError) || !TRANSIENT.has(String(error.extensions?.code))) throw error;
        answer = { errors: [{ message: error.message, extensions: error.extensions }] };
      }
      const transient = !answer.data?.[PROBE_KEY] && (answer.errors ?? []).some((error) => TRANSIENT.has(String(error.extensions?.code)));
      if (!transient) return answer;
      if (attempt >= ATTEMPTS) throw new Error(`event ${event.seq} of warning ${event.warningId} could not be resolved (${answer.errors?.[0]?.message})`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      if (this.closed) return undefined;
    }
  }
}

/**
 * The per-event query's variables, one object per event and query for all the subscribers the
 * feed relays it to (they are the event's, not the subscriber's): the query's answers are
 * shared by a key made of them (live-warnings.ts), which is then made once per event too.
 */
const variablesByEvent = new WeakMap<FeedEvent, Map<EventQuery | undefined, Record<string, unknown>>>();
function eventVariables(event: FeedEvent, query: EventQuery | undefined): Record<string, unknown> {
  let byQuery = variablesByEvent.get(event);
  if (!byQuery) variablesByEvent.set(event, (byQuery = new Map()));
  let variables = byQuery.get(query);
  if (!variables) {
    variables = query
      ? { ...query.variables, [WARNING_ID_VARIABLE]: event.warningId, ...(event.officerId ? { [OFFICER_ID_VARIABLE]: event.officerId } : {}) }
      : { [WARNING_ID_VARIABLE]: event.warningId };
    byQuery.set(query, Object.freeze(variables));
  }
  return variables;
}

export function cursorExpired(region: string): GraphQLError {
  return new GraphQLError(
    `after: the cursor is older than the events region ${region} keeps; subscribe without after and read petitionWarnings for what came before`,
    {
      extensions: { code: 'CURSOR_EXPIRED', field: 'after' },
    },
  );
}

function eventValue(name: string, region: string, event: FeedEvent, positions: FeedPositions): unknown {
  switch (name) {
    case 'cursor':
      return encodeEventCursor(positions);
    case 'kind':
      return event.kind;
    case 'at':
      return event.at;
    case 'region':
      return region;
    case '__typename':
      return 'PetitionWarningEvent';
    default:
      return null;
  }
}

/** A filter that lets every warning through (none, or every condition left out). */
function unfiltered(filter: PetitionWarningFilterArgs | null): boolean {
  return !filter || Object.values(filter).every((condition) => condition === null || condition === undefined);
}

/** The filter, tested on what the subscriber may see of the warning. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the probe is the warning's JSON as the region sent it
function matches(filter: PetitionWarningFilterArgs | null, probe: Record<string, any>): boolean {
  if (!filter) return true;
  if (filter.levels && !filter.levels.includes(probe.level)) return false;
  if (filter.kinds && !filter.kinds.includes(probe.kind)) return false;
  if (filter.statuses && !filter.statuses.includes(probe.status)) return false;
  if (filter.raisedIn && !String(probe.raisedIn).startsWith(filter.raisedIn)) return false;
  if (filter.subjectRegion && String(probe.subject?.id ?? '').split(':')[0] !== filter.subjectRegion) return false;
  if (!filter.raisedFrom && !filter.raisedUntil) return true;
  const raisedAt = Date.parse(probe.raisedAt);
  if (filter.raisedFrom && raisedAt < Date.parse(filter.raisedFrom)) return false;
  if (filter.raisedUntil && raisedAt >= Date.parse(filter.raisedUntil)) return false;
  return true;
}
