import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RunningHub } from '../launcher/hub';
import type { RunningGateway } from '../gateway/server';
import { repoPath } from '../subgraphs/shared/repo-path';
import { DEMO_REGIONS, graphql, GraphQLResult, startTestHub, testDatabaseUrl } from './support/hub';
import { startGatewayOverHub } from './support/gateway-over-hub';
import type { RegionHostConfig } from './support/region-host';
import { TcpProxy } from './support/tcp-proxy';

/**
 * Regions on their own hosts (issue 13, deliverable 5): the gateway in this test's network
 * namespace, each region's subgraphs in a process inside a network namespace of its own,
 * reached over a veth pair with private addresses that exist only on this machine
 * (10.213.S.0/24, S chosen per run), and the region's database reached from there through the
 * host's end of its link. One region's link goes down (a partition), another's gets 300 ms of
 * latency and packet loss (tc netem), a third's database stops; answers stay partial with
 * REGION_UNAVAILABLE for exactly those regions, the others complete, and once the links and the
 * database are back the same gateway answers completely again.
 *
 * Needs root and `ip` (CI runs as root); netem needs the kernel's sch_netem. Without them the
 * parts that need them say so in one line and are skipped.
 */

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
const attempt = (command: string, args: string[]) => {
  try {
    run(command, args);
    return true;
  } catch {
    return false;
  }
};

/** Why namespaces cannot be made here, or undefined; and whether netem can shape a link. */
function probeTopology(): { unavailable?: string; netem: boolean } {
  if (process.platform !== 'linux') return { unavailable: 'not Linux', netem: false };
  if (process.getuid?.() !== 0) return { unavailable: 'not root', netem: false };
  if (!attempt('ip', ['-V'])) return { unavailable: 'no `ip` command', netem: false };
  const probe = `yrd-probe-${randomBytes(3).toString('hex')}`;
  if (!attempt('ip', ['netns', 'add', probe])) return { unavailable: 'network namespaces cannot be made', netem: false };
  try {
    const netem = attempt('ip', ['netns', 'exec', probe, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
    return { netem };
  } finally {
    attempt('ip', ['netns', 'del', probe]);
  }
}

const topology = probeTopology();
const REGION_HOST_SCRIPT = repoPath('dist', 'test', 'support', 'region-host.js');
const TIMEOUT_MS = 1500;
const PORT = 4100;
const WARNINGS = /* GraphQL */ `
  query Warnings($first: Int) {
    petitionWarnings(first: $first) {
      edges {
        node {
          id
          region
          subject {
            id
            region
          }
        }
      }
    }
  }
`;

if (topology.unavailable) {
  test.skip(`regions on their own hosts: skipped, ${topology.unavailable}`, () => undefined);
} else {
  if (!topology.netem) console.log('regions on their own hosts: this kernel has no sch_netem, so the latency and loss case is skipped');

  interface RegionHost {
    code: string;
    namespace: string;
    hostSide: string;
    hostAddress: string;
    regionAddress: string;
    database: TcpProxy;
    process?: ChildProcess;
  }

  const suffix = randomBytes(3).toString('hex').slice(0, 5);
  const hosts: RegionHost[] = [];
  let hub: RunningHub;
  let gateway: RunningGateway;

  /** Deletes everything this run made (a veth pair goes with its namespace end); safe to call twice. */
  const teardownNetwork = () => {
    for (const host of hosts) {
      attempt('tc', ['qdisc', 'del', 'dev', host.hostSide, 'root']);
      attempt('ip', ['link', 'del', host.hostSide]);
      attempt('ip', ['netns', 'del', host.namespace]);
    }
  };
  // Even when the run is killed between beforeAll and afterAll.
  process.once('exit', teardownNetwork);

  /** A /24 of 10.213 that no interface of this machine uses. */
  function freeSubnet(): number {
    const used = execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' });
    for (let tries = 0; tries < 50; tries++) {
      const subnet = 1 + (randomBytes(1)[0] % 254);
      if (!used.includes(`10.213.${subnet}.`)) return subnet;
    }
    throw new Error('no free 10.213.x.0/24 on this machine');
  }

  async function startRegionHost(host: RegionHost, config: RegionHostConfig): Promise<string> {
    const child = spawn('ip', ['netns', 'exec', host.namespace, process.execPath, REGION_HOST_SCRIPT, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    host.process = child;
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line).url));
      child.once('exit', (code) => reject(new Error(`region ${host.code}'s host exited (${code}): ${stderr}`)));
    });
  }

  beforeAll(async () => {
    if (!existsSync(REGION_HOST_SCRIPT)) throw new Error(`${REGION_HOST_SCRIPT} is missing: run \`npm run build\` first (npm test does)`);
    hub = await startTestHub('t_hosts');
    const subnet = freeSubnet();
    const postgres = new URL(testDatabaseUrl());
    DEMO_REGIONS.forEach((region, index) => {
      hosts.push({
        code: region.code,
        namespace: `yrd-${suffix}-${region.code}`,
        hostSide: `yh${suffix}${index}`,
        hostAddress: `10.213.${subnet}.${index * 4 + 1}`,
        regionAddress: `10.213.${subnet}.${index * 4 + 2}`,
        database: undefined as unknown as TcpProxy,
      });
    });
    for (const [index, host] of hosts.entries()) {
      const regionSide = `yn${suffix}${index}`;
      run('ip', ['netns', 'add', host.namespace]);
      run('ip', ['link', 'add', host.hostSide, 'type', 'veth', 'peer', 'name', regionSide]);
      run('ip', ['link', 'set', regionSide, 'netns', host.namespace]);
      run('ip', ['addr', 'add', `${host.hostAddress}/30`, 'dev', host.hostSide]);
      run('ip', ['link', 'set', host.hostSide, 'up']);
      run('ip', ['netns', 'exec', host.namespace, 'ip', 'addr', 'add', `${host.regionAddress}/30`, 'dev', regionSide]);
      run('ip', ['netns', 'exec', host.namespace, 'ip', 'link', 'set', regionSide, 'up']);
      run('ip', ['netns', 'exec', host.namespace, 'ip', 'link', 'set', 'lo', 'up']);
      // The region reaches PostgreSQL at the host's end of its own link, as a city reaches its database server.
      host.database = await TcpProxy.start({ host: postgres.hostname, port: Number(postgres.port) }, { host: host.hostAddress });
    }
    const summaries = DEMO_REGIONS.map(({ code, name }) => ({ code, name }));
    const urls = await Promise.all(
      hosts.map((host) => {
        const databaseUrl = new URL(hub.subgraphDatabaseUrls.get(host.code)!);
        databaseUrl.hostname = host.hostAddress;
        databaseUrl.port = String(host.database.port);
        return startRegionHost(host, {
          code: host.code,
          name: DEMO_REGIONS.find((region) => region.code === host.code)!.name,
          summaries,
          databaseUrl: databaseUrl.toString(),
          host: host.regionAddress,
          port: PORT,
          contextKeys: { keys: [hub.identity.contextKey.publicJwk] },
          checkpointKey: hub.identity.checkpointKey.publicJwk,
          auditChainKey: hub.identity.auditChainKey(host.code).toString('hex'),
        });
      }),
    );
    const regions = structuredClone(hub.regions);
    hosts.forEach((host, index) => {
      const region = regions.regions.find((candidate) => candidate.code === host.code)!;
      region.timeoutMs = TIMEOUT_MS;
      region.endpoints = Object.fromEntries(regions.regionalSubgraphs.map((name) => [name, `${urls[index]}/${name}/graphql`]));
    });
    regions.breaker = { failureThreshold: 3, resetAfterMs: 1000 };
    gateway = await startGatewayOverHub(hub, regions);
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(
      hosts.map(async (host) => {
        const child = host.process;
        if (child && child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
          if (child.exitCode === null) child.kill('SIGKILL');
        }
        await host.database?.stop();
      }),
    );
    teardownNetwork();
    await hub?.stop();
  }, 60_000);

  const hostOf = (code: string) => hosts.find((host) => host.code === code)!;
  const unavailableRegions = (result: GraphQLResult) =>
    [...new Set((result.errors ?? []).map((error) => `${error.extensions?.code}:${error.extensions?.region}`))].sort();
  const regionsIn = (result: GraphQLResult) => new Set<string>(result.data.petitionWarnings.edges.map((edge: any) => edge.node.region));

  /** Asks until an answer has no error (the hub recovers on its own: no restart); bounded. */
  async function untilComplete(): Promise<GraphQLResult> {
    for (let tries = 0; tries < 100; tries++) {
      const result = await graphql(gateway.graphqlUrl, WARNINGS, { first: 40 });
      if (!result.errors) return result;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the hub did not recover');
  }

  test('every region answers from its own host', async () => {
    const result = await graphql(gateway.graphqlUrl, WARNINGS, { first: 40 });
    expect(result.errors).toBeUndefined();
    expect(regionsIn(result)).toEqual(new Set(DEMO_REGIONS.map((region) => region.code)));
  });

  test('a partitioned region (its link down): REGION_UNAVAILABLE for it alone, the others complete; back up, the hub recovers', async () => {
    run('ip', ['link', 'set', hostOf('320500').hostSide, 'down']);
    try {
      for (let request = 0; request < 6; request++) {
        const result = await graphql(gateway.graphqlUrl, WARNINGS, { first: 40 });
        expect(unavailableRegions(result)).toEqual(['REGION_UNAVAILABLE:320500']);
        expect(result.data.petitionWarnings.edges).toHaveLength(40);
        expect(regionsIn(result)).toEqual(new Set(['310000', '330400', '340100']));
      }
    } finally {
      run('ip', ['link', 'set', hostOf('320500').hostSide, 'up']);
    }
    const recovered = await untilComplete();
    expect(regionsIn(recovered)).toEqual(new Set(DEMO_REGIONS.map((region) => region.code)));
  });

  (topology.netem ? test : test.skip)(
    'a partition and a slow, lossy link at once (300 ms, 10 % loss): only those two may be missing; restored, complete again',
    async () => {
      const slow = hostOf('330400').hostSide;
      run('ip', ['link', 'set', hostOf('320500').hostSide, 'down']);
      run('tc', ['qdisc', 'add', 'dev', slow, 'root', 'netem', 'delay', '300ms', 'loss', '10%']);
      try {
        for (let request = 0; request < 6; request++) {
          const result = await graphql(gateway.graphqlUrl, WARNINGS, { first: 40 });
          const missing = unavailableRegions(result);
          expect(missing).toContain('REGION_UNAVAILABLE:320500');
          for (const code of missing) expect(['REGION_UNAVAILABLE:320500', 'REGION_UNAVAILABLE:330400']).toContain(code);
          expect(result.data.petitionWarnings.edges).toHaveLength(40);
          const answered = regionsIn(result);
          expect(answered.has('310000') && answered.has('340100')).toBe(true);
          expect(answered.has('320500')).toBe(false);
        }
      } finally {
        attempt('tc', ['qdisc', 'del', 'dev', slow, 'root']);
        run('ip', ['link', 'set', hostOf('320500').hostSide, 'up']);
      }
      const recovered = await untilComplete();
      expect(regionsIn(recovered)).toEqual(new Set(DEMO_REGIONS.map((region) => region.code)));
    },
  );

  test('a region whose database server stops (connections refused from its host): REGION_UNAVAILABLE naming it; started again, the hub recovers', async () => {
    const database = hostOf('340100').database;
    await database.stop();
    try {
      const result = await graphql(gateway.graphqlUrl, WARNINGS, { first: 40 });
      expect(unavailableRegions(result)).toEqual(['REGION_UNAVAILABLE:340100']);
      expect(result.errors!.find((error) => error.path?.length === 1)?.message).toMatch(
        /^Region 340100 \(合肥市\) did not answer: its database is unavailable/,
      );
      expect(JSON.stringify(result.errors)).not.toMatch(/ECONNREFUSED|10\.213\.|:\d{4,5}\b/);
      expect(result.data.petitionWarnings.edges).toHaveLength(40);
      expect(regionsIn(result)).toEqual(new Set(['310000', '320500', '330400']));
    } finally {
      await database.open();
    }
    const recovered = await untilComplete();
    expect(regionsIn(recovered)).toEqual(new Set(DEMO_REGIONS.map((region) => region.code)));
  });
}
