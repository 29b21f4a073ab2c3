import net from 'node:net';
import type { RunningHub } from '../launcher/hub';
import type { RunningGateway } from '../gateway/server';
import { DEMO_REGIONS, graphql, queryDatabase, startTestHub } from './support/hub';
import { startGatewayOverHub } from './support/gateway-over-hub';

const WARNINGS = /* GraphQL */ `
  query CrossRegionWarnings($first: Int, $after: String, $regions: [String!]) {
    petitionWarnings(first: $first, after: $after, regions: $regions) {
      edges {
        cursor
        node {
          id
          region
          level
          raisedAt
          subject {
            id
            region
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

let hub: RunningHub;

beforeAll(async () => {
  hub = await startTestHub('t_routing', { regionThreads: 2 });
});
afterAll(async () => {
  await hub?.stop();
});

async function countInDatabase(region: string): Promise<number> {
  const [{ count }] = await queryDatabase(hub.databaseUrls.get(region)!, 'SELECT count(*)::int AS count FROM petitions.warnings');
  return count;
}

describe('fan-out over every region', () => {
  test('one newest-first list with warnings from all four regions', async () => {
    const result = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 100 });
    expect(result.errors).toBeUndefined();
    const nodes = result.data.petitionWarnings.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(100);
    expect(new Set(nodes.map((node: any) => node.region))).toEqual(new Set(DEMO_REGIONS.map((r) => r.code)));
    const times = nodes.map((node: any) => Date.parse(node.raisedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const node of nodes) {
      expect(node.id.startsWith(`${node.region}:`)).toBe(true);
      expect(['RED', 'ORANGE', 'YELLOW', 'BLUE']).toContain(node.level);
    }
  });

  test('walking pages of 5 visits every warning exactly once, and the total is the sum of the databases', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let previousTime = Infinity;
    for (let page = 0; page < 1000; page++) {
      const result: any = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 5, after });
      expect(result.errors).toBeUndefined();
      const { edges, pageInfo }: { edges: any[]; pageInfo: any } = result.data.petitionWarnings;
      for (const edge of edges) {
        const time = Date.parse(edge.node.raisedAt);
        expect(time).toBeLessThanOrEqual(previousTime); // newest first across page boundaries too
        previousTime = time;
        seen.push(edge.node.id);
      }
      if (!pageInfo.hasNextPage) break;
      expect(edges).toHaveLength(5);
      after = pageInfo.endCursor;
    }
    const counts = await Promise.all(DEMO_REGIONS.map((r) => countInDatabase(r.code)));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(counts.reduce((a, b) => a + b, 0));
  });

  test('an edge cursor resumes right after that edge', async () => {
    const first = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 10 });
    const edges = first.data.petitionWarnings.edges;
    const resumed = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 4, after: edges[5].cursor });
    expect(resumed.data.petitionWarnings.edges.map((e: any) => e.node.id)).toEqual(edges.slice(6, 10).map((e: any) => e.node.id));
  });

  test('the regions argument narrows the scope', async () => {
    const result = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 50, regions: ['330400', '340100'] });
    const regions = new Set(result.data.petitionWarnings.edges.map((e: any) => e.node.region));
    expect(regions).toEqual(new Set(['330400', '340100']));
  });

  test('an unknown region or a forged cursor is refused with BAD_USER_INPUT', async () => {
    const unknown = await graphql(hub.gateway.graphqlUrl, WARNINGS, { regions: ['999900'] });
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0].message).toMatch(/999900.*known regions: 310000, 320500, 330400, 340100/);
    const forged = await graphql(hub.gateway.graphqlUrl, WARNINGS, { after: 'bm90LWEtY3Vyc29y' });
    expect(forged.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(forged.errors?.[0].message).toMatch(/^after:/);
  });
});

describe('entities route by the region in their key', () => {
  test('a Jiaxing warning about a Suzhou resident returns the person from Suzhou’s database', async () => {
    const [warning] = await queryDatabase(
      hub.databaseUrls.get('330400')!,
      "SELECT id, subject_id FROM petitions.warnings WHERE subject_region = '320500' ORDER BY id LIMIT 1",
    );
    expect(warning).toBeDefined();
    const localPersonId = warning.subject_id.split(':')[1];
    // Rename the person in Suzhou's database only: the answer can only come from there.
    const renamed = `测试${localPersonId}`;
    await queryDatabase(hub.databaseUrls.get('320500')!, 'UPDATE personnel.persons SET name = $1 WHERE id = $2', [renamed, localPersonId]);
    const result = await graphql(
      hub.gateway.graphqlUrl,
      'query($id: ID!) { petitionWarning(id: $id) { id region subject { id region name } } }',
      { id: `330400:${warning.id}` },
      // A Jiaxing officer, whom the Jiaxing–Suzhou agreement shows Suzhou residents' names, with a purpose.
      { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.petitionWarning).toEqual({
      id: `330400:${warning.id}`,
      region: '330400',
      subject: { id: warning.subject_id, region: '320500', name: renamed },
    });
  });

  test('subjects of a page come from every home region, each in its list position', async () => {
    const result = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 60 });
    const edges = result.data.petitionWarnings.edges;
    const homes = new Set(edges.map((e: any) => e.node.subject.region));
    expect(homes.size).toBeGreaterThan(1);
    for (const { node } of edges) {
      expect(node.subject.id.startsWith(`${node.subject.region}:`)).toBe(true);
      expect(typeof node.subject.name).toBe('string');
    }
  });
});

describe('mutations go to the region named in their input', () => {
  test('a warning raised for Hefei is stored in Hefei’s database only', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        mutation ($input: RaiseWarningInput!) {
          raisePetitionWarning(input: $input) {
            id
            region
            level
            subject {
              id
              name
            }
          }
        }
      `,
      { input: { region: '340100', raisedIn: '340104', level: 'ORANGE', kind: 'GROUP_VISIT', subjectId: '330400:3', summary: '集体访预警' } },
      { 'X-Officer': '340100:1' },
    );
    expect(result.errors).toBeUndefined();
    const { id, region, subject } = result.data.raisePetitionWarning;
    expect(region).toBe('340100');
    expect(subject.id).toBe('330400:3');
    const rows = await queryDatabase(hub.databaseUrls.get('340100')!, 'SELECT summary FROM petitions.warnings WHERE id = $1', [id.split(':')[1]]);
    expect(rows).toEqual([{ summary: '集体访预警' }]);
    const elsewhere = await queryDatabase(hub.databaseUrls.get('330400')!, "SELECT count(*)::int AS n FROM petitions.warnings WHERE summary = '集体访预警'");
    expect(elsewhere[0].n).toBe(0);
  });

  test('a region the hub does not serve is refused with UNKNOWN_REGION', async () => {
    const result = await graphql(
      hub.gateway.graphqlUrl,
      `
        mutation ($input: RaiseWarningInput!) {
          raisePetitionWarning(input: $input) {
            id
          }
        }
      `,
      { input: { region: '110000', raisedIn: '110101', level: 'RED', kind: 'REPEAT', subjectId: '330400:3', summary: 'x' } },
    );
    expect(result.errors?.[0].extensions?.code).toBe('UNKNOWN_REGION');
    expect(result.errors?.[0].message).toMatch(/input\.region: region 110000 is not served/);
  });
});

describe('a region that is down or hangs', () => {
  let hanging: net.Server;
  let gateway: RunningGateway;
  const sockets = new Set<net.Socket>();
  let requestsToHefei = 0;

  beforeAll(async () => {
    // Accepts connections, counts the requests it is sent, and never answers.
    hanging = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk) => (requestsToHefei += (chunk.toString('latin1').match(/^POST /gm) ?? []).length));
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as net.AddressInfo).port;
    const regions = structuredClone(hub.regions);
    const hefei = regions.regions.find((r) => r.code === '340100')!;
    hefei.timeoutMs = 800;
    hefei.endpoints = Object.fromEntries(regions.regionalSubgraphs.map((s) => [s, `http://127.0.0.1:${port}/${s}/graphql`]));
    regions.breaker = { failureThreshold: 3, resetAfterMs: 60_000 };
    gateway = await startGatewayOverHub(hub, regions);
  });
  afterAll(async () => {
    await gateway?.stop();
    sockets.forEach((socket) => socket.destroy());
    hanging?.close();
  });

  test('a hanging region does not hold the answer past its timeout', async () => {
    const before = requestsToHefei;
    const result = await graphql(gateway.graphqlUrl, WARNINGS, { first: 30 });
    // Warnings and then their subjects would both call Hefei: its 800 ms are a budget for the
    // whole request, so once it has failed the request does not ask (and wait for) it again.
    expect(requestsToHefei - before).toBe(1);
    const regions = new Set(result.data.petitionWarnings.edges.map((e: any) => e.node.region));
    expect(regions).toEqual(new Set(['310000', '320500', '330400']));
    const unavailable = result.errors?.filter((e) => e.extensions?.code === 'REGION_UNAVAILABLE');
    expect(new Set(unavailable!.map((e) => e.extensions?.region))).toEqual(new Set(['340100']));
    expect(unavailable![0].path).toEqual(['petitionWarnings']);
    expect(unavailable![0].message).toMatch(/340100 \(合肥市\).*800 ms/);
  });

  test('after repeated failures the circuit opens and the region is skipped at once', async () => {
    for (let i = 0; i < 3; i++) await graphql(gateway.graphqlUrl, WARNINGS, { first: 5 });
    const before = requestsToHefei;
    const result = await graphql(gateway.graphqlUrl, WARNINGS, { first: 5 });
    expect(requestsToHefei - before).toBe(0); // the open circuit sends nothing to the hanging region
    const unavailable = result.errors!.find((e) => e.extensions?.code === 'REGION_UNAVAILABLE')!;
    expect(unavailable.extensions?.region).toBe('340100');
    expect(unavailable.message).toMatch(/stopped calling it for 60 s/);
    expect(result.data.petitionWarnings.edges).toHaveLength(5);
  });

  test('a stopped region yields the other three regions and REGION_UNAVAILABLE naming it', async () => {
    await hub.regionServers.get('320500')!.close();
    const result = await graphql(hub.gateway.graphqlUrl, WARNINGS, { first: 40 });
    const regions = new Set(result.data.petitionWarnings.edges.map((e: any) => e.node.region));
    expect(regions).toEqual(new Set(['310000', '330400', '340100']));
    const unavailable = result.errors?.filter((e) => e.extensions?.code === 'REGION_UNAVAILABLE') ?? [];
    expect(unavailable.map((e) => e.extensions?.region)).toContain('320500');
    // Subjects who live in Suzhou cannot be read either: their warnings still arrive, with a null subject.
    const edges = result.data.petitionWarnings.edges;
    expect(edges.length).toBe(40);
    const suzhouSubjects = edges.filter((e: any) => e.node.subject === null);
    expect(suzhouSubjects.length).toBeGreaterThan(0);
    expect(edges.filter((e: any) => e.node.subject !== null).every((e: any) => e.node.subject.region !== '320500')).toBe(true);
  });
});
