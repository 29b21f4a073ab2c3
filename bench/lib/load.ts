import autocannon from 'autocannon';
import { canonicalJson } from '../classic/data';

/**
 * Load with autocannon, every response checked: the first answer of a target is compared
 * (key order aside) with the expected JSON, and then becomes autocannon's `expectBody`, so
 * that every later response must be byte-for-byte that answer. A round with one wrong body,
 * one non-2xx status, one socket error or timeout is a failed round, never a number.
 */

export interface Target {
  name: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
}

export interface Round {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failed?: string;
}

export interface Checked extends Target {
  /** The exact body every response must have. */
  expectBody: string;
  bytes: number;
}

export async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, text: await response.text() };
}

/**
 * One request: checks the answer with `check` (true, or a reason it is wrong) and returns the
 * target with its expected body. Throws when the answer is wrong.
 */
export async function checkTarget(target: Target, check: (json: any) => true | string): Promise<Checked> {
  const { status, text } = await post(target.url, target.body, target.headers);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${target.name}: HTTP ${status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (status !== 200) throw new Error(`${target.name}: HTTP ${status}: ${text.slice(0, 300)}`);
  const verdict = check(json);
  if (verdict !== true) throw new Error(`${target.name}: wrong answer: ${verdict}`);
  // Is the answer stable? A second request must give the same bytes, or expectBody cannot work.
  const again = await post(target.url, target.body, target.headers);
  if (again.text !== text) throw new Error(`${target.name}: two identical requests got different bodies`);
  return { ...target, expectBody: text, bytes: Buffer.byteLength(text) };
}

/** `check` for an exactly known answer. */
export const equalsJson = (expected: unknown) => {
  const want = canonicalJson(expected);
  return (json: unknown): true | string => {
    const got = canonicalJson(json);
    if (got === want) return true;
    let i = 0;
    while (i < got.length && got[i] === want[i]) i++;
    return `differs at character ${i}: got …${got.slice(Math.max(0, i - 60), i + 60)}… want …${want.slice(Math.max(0, i - 60), i + 60)}…`;
  };
};

export async function runLoad(target: Checked, options: { connections: number; seconds: number }): Promise<Round> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    connections: options.connections,
    duration: options.seconds,
    expectBody: target.expectBody,
    timeout: 30,
  });
  const problems: string[] = [];
  if (result.mismatches) problems.push(`${result.mismatches} wrong bodies`);
  if (result.non2xx) problems.push(`${result.non2xx} non-2xx`);
  if (result.errors) problems.push(`${result.errors} errors`);
  if (result.timeouts) problems.push(`${result.timeouts} timeouts`);
  if (!result.requests.total) problems.push('no requests completed');
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failed: problems.length ? problems.join(', ') : undefined,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Summary {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  rounds: number;
  failed?: string;
}

/** Medians over rounds; any failed round fails the whole figure. */
export function summarise(rounds: Round[]): Summary {
  const failed = rounds.filter((r) => r.failed).map((r) => r.failed);
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    rounds: rounds.length,
    failed: failed.length ? `${failed.length}/${rounds.length} rounds failed: ${failed[0]}` : undefined,
  };
}

/**
 * Latency at concurrency 1, measured to the microsecond (autocannon's histogram counts whole
 * milliseconds, too coarse for sub-millisecond overheads): one keep-alive connection, requests
 * back to back for `seconds`, every body compared with the expected one.
 */
export async function runSequential(target: Checked, options: { seconds: number; maxRequests?: number }): Promise<Round> {
  const client = await keepAliveClient(target);
  const once = client.once;
  const latencies: number[] = [];
  let wrong = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  while (performance.now() < until && latencies.length < (options.maxRequests ?? Infinity)) {
    const t0 = performance.now();
    try {
      const { status, text } = await once();
      latencies.push(performance.now() - t0);
      if (status !== 200 || text !== target.expectBody) wrong++;
    } catch {
      errors++;
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  client.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const problems = [wrong && `${wrong} wrong bodies`, errors && `${errors} errors`, !latencies.length && 'no requests completed'].filter(Boolean);
  return {
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    requests: latencies.length,
    failed: problems.length ? problems.join(', ') : undefined,
  };
}

/** One keep-alive connection to a target: `once()` sends its body and resolves with the answer. */
export async function keepAliveClient(target: Target): Promise<{ once: () => Promise<{ status: number; text: string }>; close: () => void }> {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(target.url);
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(target.body)), ...target.headers };
  const once = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(target.body);
    });
  return { once, close: () => agent.destroy() };
}

/**
 * `rounds` requests to each target, one at a time and in turn (a, b, a, b, …), each on its own
 * keep-alive connection, every body compared with the expected one: whatever else the machine
 * does meanwhile falls on the targets alike. Returns the problems, if any (undefined: none).
 */
export async function runAlternating(targets: Checked[], rounds: number): Promise<string | undefined> {
  const clients = await Promise.all(targets.map(keepAliveClient));
  const problems = targets.map(() => ({ wrong: 0, errors: 0 }));
  try {
    for (let i = 0; i < rounds; i++)
      for (let t = 0; t < targets.length; t++) {
        try {
          const { status, text } = await clients[t].once();
          if (status !== 200 || text !== targets[t].expectBody) problems[t].wrong++;
        } catch {
          problems[t].errors++;
        }
      }
  } finally {
    for (const client of clients) client.close();
  }
  const said = targets.flatMap((target, t) => {
    const { wrong, errors } = problems[t];
    return wrong || errors ? [`${target.name}: ${[wrong && `${wrong} wrong bodies`, errors && `${errors} errors`].filter(Boolean).join(', ')}`] : [];
  });
  return said.length ? said.join('; ') : undefined;
}
