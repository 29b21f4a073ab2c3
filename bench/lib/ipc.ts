import { ChildProcess, fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A tiny request/response protocol over Node's IPC channel: the benchmark runs every server
 * (subgraphs, each gateway, each hub) in a process of its own, so that the load generator
 * never shares an event loop with what it measures, and asks them things (memory, SQL
 * statement counts, recorded subgraph fetches) by message.
 */

type Handlers = Record<string, (payload: any) => unknown>;

/** In a child: answer the parent's calls; `stop` must exit the process. */
export function serveIpc(handlers: Handlers): void {
  process.on('message', async (message: { id: number; type: string; payload: unknown }) => {
    try {
      const result = await handlers[message.type]?.(message.payload);
      process.send!({ id: message.id, ok: true, result });
    } catch (error) {
      process.send!({ id: message.id, ok: false, error: (error as Error).stack ?? String(error) });
    }
  });
}

export interface Child {
  process: ChildProcess;
  pid: number;
  call<T = unknown>(type: string, payload?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to stop and waits for it to exit (kills it after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `script` (a file next to this one's parent, in dist/bench) with `args`, and waits
 * for its first message, `{ ready: … }`, which it returns.
 */
export async function startChild<R>(
  script: string,
  args: unknown,
  /** `env`: variables the child needs before its modules load (HUB_METRICS, read as platform/metrics.ts loads). */
  options: { execArgv?: string[]; startTimeoutMs?: number; env?: Record<string, string> } = {},
): Promise<{ child: Child; ready: R }> {
  const proc = fork(path.join(__dirname, '..', 'proc', `${script}.js`), [JSON.stringify(args)], {
    execArgv: options.execArgv ?? [],
    // Every server, ours and the others, runs as it would be deployed (graphql-js and Apollo
    // Server skip development-only checks); the benchmark's own process is not measured.
    env: { ...process.env, NODE_ENV: process.env.BENCH_NODE_ENV ?? 'production', ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    proc.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${script} exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );
  const ready = await new Promise<R>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start within ${options.startTimeoutMs ?? 60_000} ms`)),
      options.startTimeoutMs ?? 60_000,
    );
    proc.once('message', (message: { ready?: R; error?: string }) => {
      clearTimeout(timer);
      if (message.error) reject(new Error(`${script}: ${message.error}`));
      else resolve(message.ready as R);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
  });
  proc.on('message', (message: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new Error(message.error));
  });
  const child: Child = {
    process: proc,
    pid: proc.pid!,
    call: <T>(type: string, payload?: unknown, timeoutMs = 30_000) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(new Error(`${script} has exited`));
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${script}: no answer to ${type} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => (clearTimeout(timer), resolve(v as T)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        proc.send({ id, type, payload });
      }),
    stop: async (graceMs = 20_000) => {
      if (exited) return;
      const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      child.call('stop', undefined, graceMs).catch(() => undefined);
      await exitPromise;
      clearTimeout(kill);
    },
  };
  return { child, ready };
}

/** In a child: the JSON argument the parent passed. */
export function childArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** In a child: report readiness (or a start failure) to the parent. */
export function reportReady(ready: unknown): void {
  process.send!({ ready });
}
export function reportFailure(error: unknown): void {
  process.send!({ error: (error as Error).stack ?? String(error) }, () => process.exit(1));
}

/** Resident set size of a process in bytes, read by the parent from /proc (Linux). */
export function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc (Linux); 0 when it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every PostgreSQL server process on this machine (the benchmark's own is the busy one). */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSecondsOf(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}
