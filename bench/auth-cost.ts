import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CallerVerifier } from '../auth/caller-verifier';
import { requestContextOf, signContextToken } from '../auth/context-token';
import { personAccess } from '../auth/person-policy';
import { HubIdentity } from '../launcher/hub-identity';

/**
 * What authentication adds to a request, step by step, measured in this process:
 * `node dist/bench/auth-cost.js [iterations]`. Per request the gateway checks the caller token
 * (cached after the first sight), signs one context token per subgraph it calls, each subgraph
 * verifies its token (new every request), and field rules decide per record.
 */

async function measure(label: string, iterations: number, work: (i: number) => Promise<unknown> | unknown): Promise<string> {
  for (let i = 0; i < 200; i++) await work(iterations + i); // warm up, on inputs the measurement does not use
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const began = performance.now();
    await work(i);
    times.push((performance.now() - began) * 1000);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  return `| ${label} | ${at(0.5)} | ${at(0.99)} |`;
}

async function main() {
  const iterations = Number(process.argv[2] ?? 2000);
  const identity = await HubIdentity.prepare({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'yrd-auth-cost-')),
    regionCodes: ['310000', '320500', '330400', '340100'],
    hostedRegionCodes: ['330400'],
    officersPerAgency: () => 4,
  });
  const settings = identity.gatewayAuth().identity;
  // Distinct tokens (lifetimes differ), so that "first sight" never hits the cache.
  const tokens = await Promise.all(Array.from({ length: iterations + 200 }, (_, i) => identity.demoTokenForLogin('demo-330400', 43_200 + i)));
  const verifier = new CallerVerifier(settings);
  const warm = new CallerVerifier(settings);
  await warm.verify(tokens[0]);
  const caller = await warm.verify(tokens[0]);
  const grants = [
    { category: 'PERSON_BASIC', owner: '320500' },
    { category: 'PERSON_PERSONAL', owner: '320500' },
  ];
  const context = requestContextOf(caller, 'petition-handling', grants, 'r1');
  const contextTokens = await Promise.all(
    Array.from({ length: iterations + 200 }, (_, i) => signContextToken(identity.contextKey, 'personnel', { ...context, requestId: `r${i}` })),
  );
  const contextVerifier = identity.contextVerifier();

  const rows = [
    await measure('caller token, first sight (ES256 verify + claims)', iterations, (i) => verifier.verify(tokens[i])),
    await measure('caller token, seen before (cache)', iterations, () => warm.verify(tokens[0])),
    await measure('sign a context token (one per subgraph called)', iterations, () => signContextToken(identity.contextKey, 'personnel', context)),
    await measure('subgraph verifies a context token (new each request)', iterations, (i) => contextVerifier.verify(contextTokens[i], 'personnel')),
    await measure('person rule decision, per record', iterations, (i) => personAccess(context, i % 2 ? '320505' : '340111')),
  ];
  console.log(`| step (${iterations} iterations) | p50 µs | p99 µs |\n| --- | --: | --: |\n${rows.join('\n')}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
