import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, KeyLike } from 'jose';
import { createKeyPair, SigningKey } from '../auth/keys';
import { FeedEvent, positionBefore, RegionFeed } from '../gateway/live/region-feed';

/**
 * The gateway's end of a region's feed, over a real HTTP stream: each event says what came
 * right before it in the feed, so that a subscriber in step passes over a hole in the positions
 * (a change rolled back after taking its number) without reading the region again.
 */

test('each relayed event names the position relayed before it, holes included', async () => {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    // Where the region stands, then 5 and 7: 6 was rolled back.
    response.write(`${JSON.stringify({ head: 4, pruned: 0 })}\n`);
    for (const seq of [5, 7])
      response.write(
        `${JSON.stringify({ seq, warningId: `330400:${seq}`, kind: 'RAISED', officerId: null, officerRegion: null, at: new Date(0).toISOString() })}\n`,
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { privateJwk, publicJwk } = await createKeyPair();
  const key: SigningKey = { kid: publicJwk.kid!, privateKey: (await importJWK(privateJwk, 'ES256')) as KeyLike, publicJwk };
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
