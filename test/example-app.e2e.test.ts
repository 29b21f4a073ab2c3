import { spawn } from 'node:child_process';
import { RunningHub } from '../launcher/hub';
import { repoPath } from '../subgraphs/shared/repo-path';
import { graphql, startTestHub, tokenFor } from './support/hub';

/**
 * examples/warnings-monitor, the typed example app, run as its README says against a hub: its
 * generated types must match its operations and the published API, it prints the newest warnings
 * of several regions, and it follows a warning raised while it runs.
 */

const MONITOR = repoPath('dist', 'examples', 'warnings-monitor', 'src', 'monitor.js');
const CODEGEN = repoPath('node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js');

let hub: RunningHub;

beforeAll(async () => {
  hub = await startTestHub('t_example_app');
}, 180_000);

afterAll(() => hub?.stop());

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, { cwd: repoPath(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

test('the generated types are those graphql-codegen makes from the operations and schema/api.graphql', async () => {
  // --check generates in memory and exits 1 when a committed file would change.
  const codegen = run(process.execPath, [CODEGEN, '--config', 'examples/warnings-monitor/codegen.yml', '--check']);
  const code = await codegen.exited;
  expect({ code, output: code === 0 ? '' : codegen.output() }).toEqual({ code: 0, output: '' });
}, 120_000);

test('the monitor prints warnings of more than one region, then a warning raised while it follows them', async () => {
  const url = hub.gateway.graphqlUrl;
  const token = await tokenFor(url, '330400:1');
  const monitor = run(process.execPath, [MONITOR, '--first', '30', '--events', '1'], { HUB: url.replace(/\/graphql$/, ''), TOKEN: token });
  try {
    const following = () => monitor.output().includes('following live warnings');
    while (!following() && monitor.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(monitor.output()).toMatch(/following live warnings/);

    const listed = monitor.output().split('following live warnings')[0];
    const regions = new Set([...listed.matchAll(/^ {2}\S+ {2}(\d{6}) /gm)].map((match) => match[1]));
    expect(regions.size).toBeGreaterThan(1);
    expect(listed).toMatch(/^newest 30 warnings, from regions \d{6}(, \d{6})+:$/m);

    // Raise warnings until the monitor has heard one (it subscribes just after it connects).
    const raised: string[] = [];
    while (monitor.child.exitCode === null && raised.length < 30) {
      const answer = await graphql(
        url,
        'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }',
        {
          input: { region: '320500', raisedIn: '320509', level: 'RED', kind: 'CROSS_REGION', subjectId: '330400:12', summary: '示例应用' },
        },
        { 'X-Officer': '320500:1' },
      );
      expect(answer.errors).toBeUndefined();
      raised.push(answer.data.raisePetitionWarning.id);
      await Promise.race([monitor.exited, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    }
    expect(await monitor.exited).toBe(0);
    const heard = monitor.output().split('following live warnings')[1];
    const event = /^ {2}\S+ {2}320500 {2}RAISED +(\S+) +RED CROSS_REGION OPEN/m.exec(heard);
    expect(event).not.toBeNull();
    expect(raised).toContain(event![1]);
  } finally {
    monitor.child.kill();
  }
}, 180_000);
