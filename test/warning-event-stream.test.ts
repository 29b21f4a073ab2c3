import { EventEmitter } from 'node:events';
import { buildEventQuery, PROBE_KEY } from '../gateway/live/event-query';
import type { FeedEvent, FeedPage, RegionFeed } from '../gateway/live/region-feed';
import { LIVE_CLOSE, LiveCloseCode, PetitionWarningFilterArgs, WarningEventStream } from '../gateway/live/warning-event-stream';
import { parse } from 'graphql';

/**
 * The subscriber's stream on its own (the end-to-end suites run it through real gateways): the
 * order in which it reads what was missed and what arrives, and its bound. The region's feed
 * and the per-event query are stand-ins here: a list of events, and an answer that sees all.
 */

class ListFeed extends EventEmitter {
  readonly events: FeedEvent[] = [];
  constructor(readonly region: string) {
    super();
  }
  add(seq: number): FeedEvent {
    const event: FeedEvent = { seq, warningId: `${this.region}:${seq}`, kind: 'RAISED', officerId: null, officerRegion: null, at: new Date(0).toISOString() };
    this.events.push(event);
    return event;
  }
  pages = 0;
  async page(after: number): Promise<FeedPage> {
    this.pages += 1;
    return { head: this.events.length, pruned: 0, events: this.events.filter((event) => event.seq > after).slice(0, 3) };
  }
}

const query = buildEventQuery(parse('subscription { petitionWarningEvents { cursor warning { id } } }'), undefined, {});

function streamOver(
  feed: ListFeed,
  after: number,
  bufferSize = 100,
  {
    feeds = new Map([[feed.region, feed as unknown as RegionFeed]]),
    asked = [] as string[],
    held = Promise.resolve(),
    filter = null as PetitionWarningFilterArgs | null,
  }: { feeds?: Map<string, RegionFeed>; asked?: string[]; held?: Promise<void>; filter?: PetitionWarningFilterArgs | null } = {},
) {
  const failures: Array<{ code: LiveCloseCode; message: string }> = [];
  const stream = new WarningEventStream({
    feeds,
    positions: new Map([[feed.region, after]]),
    filter,
    query,
    bufferSize,
    runQuery: async (_text, variables) => (
      asked.push(String(variables.yrdLiveWarningId)),
      await held,
      { data: { [PROBE_KEY]: { level: 'BLUE' }, warning0: { id: variables.yrdLiveWarningId } } }
    ),
    fail: (code, message) => failures.push({ code, message }),
  });
  return { stream, failures };
}

const take = async (stream: WarningEventStream, count: number) => {
  const ids: string[] = [];
  while (ids.length < count) ids.push(((await stream.next()).value as any).petitionWarningEvents.warning.id);
  return ids;
};

test('what was missed comes first, page by page, then what arrives, each once', async () => {
  const feed = new ListFeed('330400');
  for (let seq = 1; seq <= 7; seq++) feed.add(seq);
  const { stream } = streamOver(feed, 2);
  // Arrives while the stream is still catching up: already among the pages, not repeated.
  feed.emit('event', feed.add(8));
  expect(await take(stream, 6)).toEqual(['330400:3', '330400:4', '330400:5', '330400:6', '330400:7', '330400:8']);
  feed.emit('event', feed.add(9));
  expect(await take(stream, 1)).toEqual(['330400:9']);
  stream.close();
});

test('a jump in the positions is filled from the region before going on', async () => {
  const feed = new ListFeed('330400');
  const { stream } = streamOver(feed, 0);
  feed.add(1);
  feed.add(2);
  // The gateway's relay started after 1 and 2: the stream reads them from the region.
  feed.emit('event', feed.add(3));
  expect(await take(stream, 3)).toEqual(['330400:1', '330400:2', '330400:3']);
  stream.close();
});

test('a region added while the stream runs is read from the position given, then live; one dropped is no longer followed', async () => {
  const jiaxing = new ListFeed('330400');
  const hefei = new ListFeed('340100');
  const feeds = new Map([[jiaxing.region, jiaxing as unknown as RegionFeed]]);
  const { stream } = streamOver(jiaxing, 0, 100, { feeds });
  jiaxing.emit('event', jiaxing.add(1));
  expect(await take(stream, 1)).toEqual(['330400:1']);

  // As a reload does: the feed joins the map, and the stream follows it from where it stood (2).
  feeds.set(hefei.region, hefei as unknown as RegionFeed);
  for (let seq = 1; seq <= 4; seq++) hefei.add(seq);
  stream.addRegion(hefei.region, 2);
  stream.addRegion(hefei.region, 0); // already followed: nothing read twice
  expect(await take(stream, 2)).toEqual(['340100:3', '340100:4']);
  hefei.emit('event', hefei.add(5));
  jiaxing.emit('event', jiaxing.add(2));
  const next = await stream.next();
  expect((next.value as any).petitionWarningEvents.warning.id).toBe('340100:5');
  expect(await take(stream, 1)).toEqual(['330400:2']);

  expect(stream.dropRegion(hefei.region)).toBe(1);
  hefei.emit('event', hefei.add(6));
  jiaxing.emit('event', jiaxing.add(3));
  const after = await stream.next();
  expect((after.value as any).petitionWarningEvents.warning.id).toBe('330400:3');
  // The dropped region's position stays in the cursor, for a return.
  const cursor = (after.value as any).petitionWarningEvents.cursor as string;
  expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).p).toEqual({ '330400': '3', '340100': '5' });
  expect(stream.dropRegion(jiaxing.region)).toBe(0);
  stream.close();
});

test('a subscriber that does not take its events is disconnected as too slow, not buffered without end', async () => {
  const feed = new ListFeed('330400');
  const { stream, failures } = streamOver(feed, 0, 5);
  for (let seq = 1; seq <= 20; seq++) feed.emit('event', feed.add(seq));
  for (let i = 0; i < 100 && !failures.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(failures).toEqual([{ code: LIVE_CLOSE.SLOW_SUBSCRIBER, message: expect.stringMatching(/more than 5 events/) }]);
  stream.close();
});

test('the event’s fields are collected as a query’s: @skip/@include by the subscription’s variables, a field selected twice is one', () => {
  const document = parse(`subscription($full: Boolean = false, $officer: Boolean!) {
    petitionWarningEvents { cursor warning { id } ...Parts officer @include(if: $officer) { name } at @include(if: $full) }
  } fragment Parts on PetitionWarningEvent { warning { level } }`);
  const events = buildEventQuery(document, undefined, { officer: false });
  expect(events.fields.map((field) => field.responseKey)).toEqual(['cursor', 'warning']);
  expect(events.withOfficer.replace(/\s+/g, ' ')).toContain('warning0: petitionWarning(id: $yrdLiveWarningId) { id level }');
  expect(buildEventQuery(document, undefined, { officer: true, full: true }).fields.map((field) => field.responseKey)).toEqual([
    'cursor',
    'warning',
    'officer',
    'at',
  ]);
});

test('a hole the feed vouches for (a rolled-back change took the position) is passed over without reading the region', async () => {
  const feed = new ListFeed('330400');
  const { stream } = streamOver(feed, 0);
  await take(stream, 0);
  await new Promise((resolve) => setImmediate(resolve));
  const pagesAtStart = feed.pages;
  feed.emit('event', feed.add(1));
  // Position 2 was never committed: the feed relays 3 right after 1 and says so.
  feed.emit('event', { ...feed.add(3), previous: 1 });
  expect(await take(stream, 2)).toEqual(['330400:1', '330400:3']);
  expect(feed.pages).toBe(pagesAtStart);
  stream.close();
});

test('events are resolved when the feed relays them while the stream keeps up, each once; one fallen behind resolves the rest in turn', async () => {
  const feed = new ListFeed('330400');
  const asked: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // With a filter, each event is probed before its selection is asked.
  const { stream } = streamOver(feed, 0, 100, { asked, held, filter: { levels: ['BLUE'] } });
  await new Promise((resolve) => setImmediate(resolve));
  for (let seq = 1; seq <= 6; seq++) feed.emit('event', feed.add(seq));
  await new Promise((resolve) => setImmediate(resolve));
  // No answer has come yet: the first is being resolved (taken from the queue) and the next two
  // already, heard while the stream kept up; the rest wait their turn.
  expect(asked.sort()).toEqual(['330400:1', '330400:2', '330400:3']);
  release();
  expect(await take(stream, 6)).toEqual(['330400:1', '330400:2', '330400:3', '330400:4', '330400:5', '330400:6']);
  // The probe and the selection of each, none twice.
  expect(asked).toHaveLength(12);
  stream.close();
});

test('every subscriber the feed relays an event to asks its queries with the same variables objects (their shared key is made once per event)', async () => {
  const feed = new ListFeed('330400');
  const asks: Array<Record<string, unknown>> = [];
  const streamAsking = () =>
    new WarningEventStream({
      feeds: new Map([[feed.region, feed as unknown as RegionFeed]]),
      positions: new Map([[feed.region, 0]]),
      filter: { levels: ['BLUE'] },
      query,
      bufferSize: 100,
      runQuery: async (_text, variables) => (asks.push(variables), { data: { [PROBE_KEY]: { level: 'BLUE' }, warning0: { id: variables.yrdLiveWarningId } } }),
      fail: () => undefined,
    });
  const streams = [streamAsking(), streamAsking()];
  await new Promise((resolve) => setImmediate(resolve));
  feed.emit('event', feed.add(1));
  for (const stream of streams) expect(((await stream.next()).value as any).petitionWarningEvents.warning.id).toBe('330400:1');
  // Each stream asked the probe, then the selection: two objects, the same for both streams.
  expect(asks).toHaveLength(4);
  expect(new Set(asks).size).toBe(2);
  for (const stream of streams) stream.close();
});

test('without a filter or an officer selected, an event is asked once, its selection alone (which answers null for a warning the subscriber may not see)', async () => {
  const feed = new ListFeed('330400');
  const texts: string[] = [];
  const stream = new WarningEventStream({
    feeds: new Map([[feed.region, feed as unknown as RegionFeed]]),
    positions: new Map([[feed.region, 0]]),
    filter: { levels: null, kinds: null },
    query,
    bufferSize: 100,
    runQuery: async (text, variables) => {
      texts.push(text);
      // Warning 2 is not the subscriber's to see: the probe's field and the selection are null.
      return variables.yrdLiveWarningId === '330400:2'
        ? { data: { [PROBE_KEY]: null, warning0: null } }
        : { data: { [PROBE_KEY]: { level: 'BLUE' }, warning0: { id: variables.yrdLiveWarningId } } };
    },
    fail: () => undefined,
  });
  await new Promise((resolve) => setImmediate(resolve));
  for (let seq = 1; seq <= 3; seq++) feed.emit('event', feed.add(seq));
  expect(await take(stream, 2)).toEqual(['330400:1', '330400:3']);
  expect(texts).toEqual([query.withoutOfficer, query.withoutOfficer, query.withoutOfficer]);
  stream.close();
});
