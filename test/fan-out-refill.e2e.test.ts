import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeCompositeCursor } from '../gateway/composite-cursor';
import { MERGE_EDGES_KEY, MERGE_PAGE_KEY } from '../gateway/operation-analysis';
import type { RegionSettings } from '../gateway/region-config';
import { RegionalDataSource } from '../gateway/regional-data-source';
import type { RoutingRules } from '../gateway/routing-rules';

/**
 * The regional data source's probe and refill over real HTTP: eight bare HTTP "regions" answer
 * the region operation from their own newest-first list, so the rounds the gateway makes can be
 * counted and a region can fail between them.
 */

const rule = {
  kind: 'fanOut' as const,
  subgraph: 'petitions',
  sortKey: 'raisedAt',
  descending: true,
  defaultFirst: 20,
  connectionType: 'PetitionWarningConnection',
  pageInfoType: 'PageInfo',
  firstType: 'Int',
  afterType: 'String',
};
const rules: RoutingRules = { rootFields: new Map([['Query.petitionWarnings', rule]]), entityFields: new Map(), crossRegionFields: new Map(), fieldTypes: new Map() };
const QUERY = 'query Q($first: Int, $after: String) { list: petitionWarnings(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }';

const CODES = ['310000', '320100', '320200', '320500', '330100', '330400', '340100', '340200'];
const HOT = '330400';
/** Every region: 10 warnings at times below 1000; the hot region also the 15 newest of all. */
const times = (code: string) => [...(code === HOT ? Array.from({ length: 15 }, (_, i) => 2000 - i) : []), ...Array.from({ length: 10 }, (_, i) => 900 - i * 80 - CODES.indexOf(code))];

interface FakeRegion {
  code: string;
  requests: Array<{ first: number; after: string | null }>;
  failFrom?: number;
  server: http.Server;
  url: string;
}

async function startRegion(code: string): Promise<FakeRegion> {
  const region = { code, requests: [] as FakeRegion['requests'] } as FakeRegion;
  region.server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { variables } = JSON.parse(body);
      const first = variables._yrdFirst0 as number;
      const after = (variables._yrdAfter0 as string | null) ?? null;
      region.requests.push({ first, after });
      if (region.failFrom !== undefined && region.requests.length >= region.failFrom) {
        response.writeHead(502).end('bad gateway');
        return;
      }
      const all = times(code);
      const start = after ? Number(after.split('@')[1]) : 0;
      const page = all.slice(start, start + first);
      const edges = page.map((t, i) => ({ c: `${code}@${start + i + 1}`, t }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          data: {
            list: {
              edges: edges.map(({ t }) => ({ node: { id: `${code}:${t}` } })),
              pageInfo: { hasNextPage: all.length > start + first, endCursor: edges.at(-1)?.c ?? null },
              [MERGE_EDGES_KEY]: edges.map(({ c, t }) => ({ c, n: { k: new Date(t * 1000).toISOString() } })),
              [MERGE_PAGE_KEY]: { h: all.length > start + first },
            },
          },
        }),
      );
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
  }
});

const run = (first: number) => source.process({ request: { query: QUERY, variables: { first } }, context: {} } as never);

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
  expect(hot.requests).toEqual([{ first: 6, after: null }, { first: 14, after: `${HOT}@6` }]);
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
