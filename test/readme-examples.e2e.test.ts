import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { runCli, startCli, Running } from './support/cli';
import { dropDatabases, graphql, testDatabaseUrl } from './support/hub';
import { actingLogin, graphqlAnswers, ReadmeBlock, runnableReadmeBlocks } from './support/readme-blocks';
import { repoPath } from '../subgraphs/shared/repo-path';

/**
 * Every example of README.md, run as a reader runs them, top to bottom, against a hub started as
 * `npm start` starts it (its own demo data, seed and keys; PostgreSQL is the test server):
 *
 * - ```graphql blocks are sent to `$HUB/graphql` as the demo officer their `# as …` comment names
 *   (demo-330400 otherwise), with a token from `yrd-hub token`; a subscription must deliver an
 *   event (the test raises a cross-region warning until one comes).
 * - ```sh blocks that call a `/graphql` endpoint with curl run in one bash, in order (variables set
 *   by one block are seen by the next), with `HUB` and `HUB_DATA_DIR` set as the README tells the
 *   reader to. Each must exit 0 and print at least one GraphQL answer, none with errors.
 * - ```sh background blocks (a server, a stream) run in their own process group until the test
 *   ends; the block after one is retried until it passes (the server may still be starting), and a
 *   background block that calls curl must by then have printed an answer without errors.
 * - Blocks whose info string says `norun` are not run; other languages (yaml, json, js) are not.
 *
 * Blocks are read from README.md when the test runs, so a new example is run without any change here.
 */

const blocks = runnableReadmeBlocks();
const RETRY_AFTER_BACKGROUND_MS = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const where = (block: ReadmeBlock) => `README.md:${block.line} (${block.section})`;

let hub: Running;
let hubUrl: string;
let runDir: string;
let shell: Shell;
const env: Record<string, string> = {};
const tokens = new Map<string, Promise<string>>();
interface Background {
  block: ReadmeBlock;
  child: ChildProcess;
  output: () => string;
}
const background: Background[] = [];

/** One bash for all shell blocks, so that what a block sets is there for the next, as in a reader's terminal. */
class Shell {
  private readonly child = spawn('bash', ['--noprofile', '--norc'], { cwd: repoPath(), env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  private stdout = '';
  private waiting: (() => void) | null = null;
  private count = 0;

  constructor() {
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      this.waiting?.();
    });
  }

  /** Runs `code` as a sourced script; resolves with its exit status and what it printed. */
  run(code: string): Promise<{ status: number; output: string }> {
    const n = ++this.count;
    const script = path.join(runDir, `block-${n}.sh`);
    const output = path.join(runDir, `block-${n}.out`);
    writeFileSync(script, `${code}\n`);
    this.stdout = '';
    const done = new RegExp(`__block_${n}_done__ (\\d+)`);
    return new Promise((resolve) => {
      this.waiting = () => {
        const match = done.exec(this.stdout);
        if (!match) return;
        this.waiting = null;
        resolve({ status: Number(match[1]), output: readFileSync(output, 'utf8') });
      };
      this.child.stdin!.write(`source '${script}' > '${output}' 2>&1 < /dev/null; echo "__block_${n}_done__ $?"\n`);
    });
  }

  close(): void {
    this.child.stdin!.end();
  }
}

function tokenFor(login: string): Promise<string> {
  let token = tokens.get(login);
  if (!token) {
    token = runCli(['token', login], env).then((result) => {
      if (result.code !== 0) throw new Error(`yrd-hub token ${login}: ${result.stderr}`);
      return result.stdout.trim();
    });
    tokens.set(login, token);
  }
  return token;
}

/** Files the README's examples write where the reader stands (the repository): removed afterwards, unless they were there before. */
const WRITTEN_BY_EXAMPLES = ['persisted-documents.json'].map((name) => repoPath(name)).filter((file) => !existsSync(file));

beforeAll(async () => {
  runDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-readme-'));
  await dropDatabases('t_readme');
  Object.assign(env, {
    HUB_DATA_DIR: path.join(runDir, 'hub-data'),
    DATABASE_URL: testDatabaseUrl(),
    HUB_DB_PREFIX: 't_readme',
    PORT: String(await freePort()),
  });
  hub = startCli(['start'], env);
  [, hubUrl] = await hub.waitFor(/GraphQL: (http:\S+)\/graphql/, 300_000);
  // What the README has the reader set once (`export HUB=…`).
  env.HUB = hubUrl;
  shell = new Shell();
}, 320_000);

afterAll(async () => {
  for (const file of WRITTEN_BY_EXAMPLES) rmSync(file, { force: true });
  shell?.close();
  for (const { child } of background) {
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // already gone
    }
  }
  await Promise.all(
    background.map(({ child }) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)),
  );
  await hub?.interrupt();
});

test('README.md has examples to run, each in a section', () => {
  expect(blocks.filter((block) => block.kind === 'graphql').length).toBeGreaterThan(5);
  expect(blocks.filter((block) => block.kind === 'shell').length).toBeGreaterThan(5);
});

/** Problems with one run of a block, none when it passed. */
async function attempt(block: ReadmeBlock, after?: Background): Promise<string[]> {
  if (block.kind === 'graphql') return runGraphQL(block);
  // The hub's address is $HUB in every example (the README says once how to set it), never its default port.
  if (/(127\.0\.0\.1|localhost):4000\b/.test(block.code)) return ['calls the hub at its default port: write "$HUB/graphql" (the README sets HUB once)'];
  const { status, output } = await shell.run(block.code);
  const problems: string[] = [];
  if (status !== 0) problems.push(`exit status ${status}`);
  // A block that only runs a command (yrd-hub documents add) is judged by its exit status.
  if (/\bcurl\b/.test(block.code)) problems.push(...answerProblems(output));
  // A stream started just before (curl -N) must have heard what this block did.
  if (after && /\bcurl\b/.test(after.block.code)) problems.push(...answerProblems(after.output()).map((problem) => `${where(after.block)}: ${problem}`));
  return problems.map((problem) => `${problem}\n--- output:\n${output}`);
}

function answerProblems(output: string): string[] {
  const answers = graphqlAnswers(output);
  if (answers.length === 0) return ['no GraphQL answer printed'];
  return answers.filter((answer) => answer.errors?.length).map((answer) => `errors: ${JSON.stringify(answer.errors)}`);
}

async function runGraphQL(block: ReadmeBlock): Promise<string[]> {
  const token = await tokenFor(actingLogin(block.code));
  if (/^\s*subscription\b/m.test(block.code)) return runSubscription(block.code, token);
  const answer = await graphql(`${hubUrl}/graphql`, block.code, {}, { authorization: `Bearer ${token}` });
  if (answer.status !== 200 || answer.errors?.length) return [`HTTP ${answer.status}: ${JSON.stringify(answer.errors)}`];
  return [];
}

/** Subscribes as the README shows and raises cross-region warnings until the first event arrives. */
async function runSubscription(query: string, token: string): Promise<string[]> {
  const client = createClient({
    url: `${hubUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    const events = client.iterate({ query });
    const first = events.next();
    const raiser = await tokenFor('demo-330400');
    for (let tries = 0; tries < 60; tries++) {
      const raised = await graphql(
        `${hubUrl}/graphql`,
        'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }',
        { input: { region: '330400', raisedIn: '330421', level: 'BLUE', kind: 'CROSS_REGION', subjectId: '320500:7', summary: 'README 示例' } },
        { authorization: `Bearer ${raiser}` },
      );
      if (raised.errors) return [`raising a warning to watch: ${JSON.stringify(raised.errors)}`];
      const next = await Promise.race([first, new Promise<null>((resolve) => setTimeout(() => resolve(null), 1_000))]);
      if (next === null) continue;
      if (next.done) return ['the subscription ended without an event'];
      return next.value.errors?.length ? [`errors: ${JSON.stringify(next.value.errors)}`] : [];
    }
    return ['no event after 60 warnings raised'];
  } finally {
    await client.dispose();
  }
}

function startBackground(block: ReadmeBlock): void {
  const script = path.join(runDir, `background-${block.line}.sh`);
  writeFileSync(script, `${block.code}\n`);
  // Its own process group, so that the servers it starts stop with it.
  const child = spawn('bash', ['--noprofile', '--norc', script], {
    cwd: repoPath(),
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  background.push({ block, child, output: () => output });
}

test.each(blocks.map((block) => [where(block), block] as const))(
  '%s',
  async (_name, block) => {
    if (block.background) {
      startBackground(block);
      return;
    }
    const previous = blocks[blocks.indexOf(block) - 1];
    const after = previous?.background ? background.find((running) => running.block === previous) : undefined;
    const giveUpAt = Date.now() + RETRY_AFTER_BACKGROUND_MS;
    let problems = await attempt(block, after);
    while (problems.length && after && Date.now() < giveUpAt) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      problems = await attempt(block, after);
    }
    if (problems.length && after) problems.push(`background output:\n${after.output()}`);
    expect(problems).toEqual([]);
  },
  RETRY_AFTER_BACKGROUND_MS + 60_000,
);
