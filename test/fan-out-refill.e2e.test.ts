import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeCompositeCursor } from '../gateway/composite-cursor';
import { skeletonAnswer } from '../gateway/merge-skeleton';
import type { RegionSettings } from '../gateway/region-config';
import { RegionalDataSource } from '../gateway/regional-data-source';
import { WARNINGS_FAN_OUT_RULES } from './support/fan-out-rules';

/**
 * The regional data source's probe and refill over real HTTP: eight bare HTTP "regions" answer
 * the region operation from their own newest-first list, so the rounds the gateway makes can be
 * counted and a region can fail between them.
 */

const rules = WARNINGS_FAN_OUT_RULES;
const QUERY =
  'query Q($first: Int, $after: String) { list: petitionWarnings(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }';
/** Two fanned-out fields in one operation: variables _yrdFirst0/_yrdAfter0 for `list`, _yrdFirst1/_yrdAfter1 for `other`. */
const TWO_FIELDS =
  'query Q($first: Int) { list: petitionWarnings(first: $first) { edges { node { id } } } other: petitionWarnings(first: $first) { edges { node { id } } } }';

const CODES = ['310000', '320100', '320200', '320500', '330100', '330400', '340100', '340200'];
const HOT = '330400';
/** Every region: 10 warnings at times below 1000; the hot region also the 15 newest of all. */
const times = (code: string) => [
  ...(code === HOT ? Array.from({ length: 15 }, (_, i) => 2000 - i) : []),
  ...Array.from({ length: 10 }, (_, i) => 900 - i * 80 - CODES.indexOf(code)),
];

interface FakeRegion {
  code: string;
  requests: Array<{ first: number; after: string | null }>;
  failFrom?: number;
  /** Hold second-round answers until this many have arrived (502 after 2 s): they must come together. */
  holdRefillsUntil?: number;
  server: http.Server;
  url: string;
}

/** One fanned-out field's page of this region's list. */
function connection(code: string, first: number, after: string | null) {
  const all = times(code);
  const start = after ? Number(after.split('@')[1]) : 0;
  const edges = all.slice(start, start + first).map((t, i) => ({ c: `${code}@${start + i + 1}`, t }));
  return {
    edges: edges.map(({ t }) => ({ node: { id: `${code}:${t}` } })),
    pageInfo: { hasNextPage: all.length > start + first, endCursor: edges.at(-1)?.c ?? null },
    ...skeletonAnswer(
      edges.map(({ c, t }) => ({ cursor: c, sortValue: new Date(t * 1000).toISOString() })),
      all.length > start + first,
    ),
  };
}

async function startRegion(code: string): Promise<FakeRegion> {
  const region = { code, requests: [] as FakeRegion['requests'] } as FakeRegion;
  const held: Array<() => void> = [];
  region.server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { variables } = JSON.parse(body);
      const fields = (
        [
          ['list', '0'],
          ['other', '1'],
        ] as const
      ).filter(([, i]) => `_yrdFirst${i}` in variables);
      for (const [, i] of fields) region.requests.push({ first: variables[`_yrdFirst${i}`], after: variables[`_yrdAfter${i}`] ?? null });
      const answer = () => {
        if (region.failFrom !== undefined && region.requests.length >= region.failFrom) {
          response.writeHead(502).end('bad gateway');
          return;
        }
        const data = Object.fromEntries(fields.map(([key, i]) => [key, connection(code, variables[`_yrdFirst${i}`], variables[`_yrdAfter${i}`] ?? null)]));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ data }));
      };
      const refill = fields.some(([, i]) => variables[`_yrdAfter${i}`]);
      if (!refill || region.holdRefillsUntil === undefined) return answer();
      const timer = setTimeout(() => response.writeHead(502).end('refills did not come together'), 2000);
      held.push(() => (clearTimeout(timer), answer()));
      if (held.length >= region.holdRefillsUntil) held.splice(0).forEach((release) => release());
    });
  });
  await new Promise<void>((resolve) => region.server.listen(0, '127.0.0.1', resolve));
  region.url = `http://127.0.0.1:${(region.server.address() as AddressInfo).port}/petitions/graphql`;
  return region;
}

let regions: FakeRegion[];
let source: RegionalDataSource;

beforeAll(async () => {
  regions = await Promise.all(CODES.map(startRegion));
  const settings: RegionSettings[] = regions.map(({ code, url }) => ({ code, name: code, timeoutMs: 5000, endpoints: { petitions: url }, hosted: false }));
  source = new RegionalDataSource('petitions', settings, rules, { failureThreshold: 100, resetAfterMs: 1000 });
});

afterAll(async () => {
  source.shutdown();
  await Promise.all(regions.map((region) => new Promise((resolve) => region.server.close(resolve))));
});

beforeEach(() => {
  for (const region of regions) {
    region.requests = [];
    region.failFrom = undefined;
    region.holdRefillsUntil = undefined;
  }
});

const run = (first: number, query = QUERY) => source.process({ request: { query, variables: { first } }, context: {} } as never);

/** The page every region's full list gives: newest first, ties to the lower region code. */
const expected = (first: number, without?: string) =>
  CODES.filter((code) => code !== without)
    .flatMap((code) => times(code).map((t) => ({ code, t })))
    .sort((a, b) => b.t - a.t || (a.code < b.code ? -1 : 1))
    .slice(0, first)
    .map(({ code, t }) => `${code}:${t}`);

test('eight regions are probed for a share of the page; only the one holding more of it is asked again', async () => {
  const result: any = await run(20);
  expect(result.errors).toBeUndefined();
  expect(result.data.list.edges.map((edge: any) => edge.node.id)).toEqual(expected(20));
  const hot = regions.find((region) => region.code === HOT)!;
  expect(hot.requests).toEqual([
    { first: 6, after: null },
    { first: 14, after: `${HOT}@6` },
  ]);
  for (const region of regions.filter((r) => r.code !== HOT)) expect(region.requests).toEqual([{ first: 6, after: null }]);
});

test('a region whose refill fails counts as not answering: none of its rows, its place kept for the next page', async () => {
  regions.find((region) => region.code === HOT)!.failFrom = 2;
  const result: any = await run(20);
  expect(result.errors.map((error: any) => [error.extensions.code, error.extensions.region])).toEqual([['REGION_UNAVAILABLE', HOT]]);
  expect(result.data.list.edges.map((edge: any) => edge.node.id)).toEqual(expected(20, HOT));
  expect(decodeCompositeCursor(result.data.list.pageInfo.endCursor).positions[HOT]).toBeUndefined();
});

test('pages over 100 are asked of every region in full, as before the probe', async () => {
  await run(101);
  for (const region of regions) expect(region.requests).toEqual([{ first: 101, after: null }]);
});

test('two fanned-out fields in one operation send their second rounds together', async () => {
  const hot = regions.find((region) => region.code === HOT)!;
  hot.holdRefillsUntil = 2; // one after the other, the first would wait 2 s and fail
  const result: any = await run(20, TWO_FIELDS);
  expect(result.errors).toBeUndefined();
  expect(result.data.list.edges.map((edge: any) => edge.node.id)).toEqual(expected(20));
  expect(result.data.other.edges.map((edge: any) => edge.node.id)).toEqual(expected(20));
  expect(Object.keys(result.data)).toEqual(['list', 'other']);
  expect(hot.requests.filter((request) => request.after)).toEqual([
    { first: 14, after: `${HOT}@6` },
    { first: 14, after: `${HOT}@6` },
  ]);
});
