import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ensureSigningKey } from '../auth/keys';
import { FeedEvent, positionBefore, RegionFeed } from '../gateway/live/region-feed';
import { testFolder } from './support/hub';
import { eventually } from './support/live-clients';

/**
 * The gateway's end of a region's feed. Each event says what came right before it in the feed,
 * so that a subscriber in step passes over a hole in the positions (a change rolled back after
 * taking its number) without reading the region again. And when a reload of regions.yaml moves the region: the stream
 * open to the old address is dropped and opened at the new one at once, from the last position
 * relayed (nothing missed, nothing twice, no trouble reported), even while the old address still
 * answers. The region's hosts are stand-ins serving the feed's lines (newline-delimited JSON).
 */

/** A host serving a region's feed of events 1…`last`: the head line, then the events after `after`, and the stream kept open. */
async function feedHost(last: number): Promise<{ url: string; asked: string[]; close(): Promise<void> }> {
  const asked: string[] = [];
  const server = http.createServer((request, response) => {
    const after = new URL(request.url ?? '/', 'http://localhost').searchParams.get('after') ?? '';
    asked.push(after);
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    response.write(`${JSON.stringify({ head: last, pruned: 0 })}\n`);
    for (let seq = after === '' ? last + 1 : Number(after) + 1; seq <= last; seq++) {
      response.write(
        `${JSON.stringify({ seq, warningId: `320200:${seq}`, kind: 'RAISED', officerId: null, officerRegion: null, at: new Date(0).toISOString() })}\n`,
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/petitions/warning-feed`,
    asked,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

test('a feed whose region moved reopens at the new address from its last position, while the old one still answers', async () => {
  const key = await ensureSigningKey(path.join(testFolder('yrd-hub-feed-'), 'context-key.json'));
  const before = await feedHost(3);
  const after = await feedHost(5);
  let url = before.url;
  const feed = new RegionFeed('320200', () => url, key);
  const seen: number[] = [];
  const troubles: Error[] = [];
  feed.on('event', (event) => seen.push(event.seq));
  feed.on('trouble', (error) => troubles.push(error));
  try {
    feed.start();
    expect(await eventually(() => feed.position === 3)).toBe(true);
    expect(before.asked).toEqual(['']);

    url = after.url;
    feed.reconnect();
    expect(await eventually(() => seen.length === 2)).toBe(true);
    expect(seen).toEqual([4, 5]);
    expect(after.asked).toEqual(['3']);
    expect(before.asked).toEqual(['']); // not asked again
    expect(troubles).toEqual([]);
  } finally {
    feed.stop();
    await before.close();
    await after.close();
  }
});

test('each relayed event names the position relayed before it, holes included', async () => {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    // Where the region stands, then 5 and 7: 6 was rolled back.
    response.write(`${JSON.stringify({ head: 4, pruned: 0 })}\n`);
    for (const seq of [5, 7])
      response.write(
        `${JSON.stringify({ seq, warningId: `330400:${seq}`, kind: 'RAISED', officerId: null, officerRegion: null, at: new Date(0).toISOString() })}\n`,
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const key = await ensureSigningKey(path.join(testFolder('yrd-hub-feed-'), 'context-key.json'));
  const feed = new RegionFeed('330400', () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/petitions/warning-feed`, key);
  const heard: FeedEvent[] = [];
  const both = new Promise<void>((resolve) => feed.on('event', (event: FeedEvent) => heard.push(event) === 2 && resolve()));
  feed.start();
  await both;
  feed.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  expect(heard.map((event) => [event.seq, event.previous])).toEqual([
    [5, 4],
    [7, 5],
  ]);
  expect(positionBefore(heard[1])).toBe(5);
  expect(positionBefore({ ...heard[1], previous: undefined })).toBe(6);
});
