import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { repoPath } from '../subgraphs/shared/repo-path';

/**
 * The officer console in Chromium, measured (not part of npm test; about a minute):
 *   - first load: bytes of JavaScript and CSS the page fetched, gzipped (target < 300 KB);
 *   - time from the sign-in click to the first warnings on the board;
 *   - rendering 500 warnings: the board holding 500 rows re-renders every row (the language
 *     switch), measured in the page from the click to the second animation frame after it
 *     (React's commit and the browser's layout and paint), median of 7 (target < 100 ms).
 *
 *   npx tsc -b tsconfig.json && node bin/build-web.js && node dist/bench/console.js
 */

const REGIONS = [
  { code: '310000', name: '上海市' },
  { code: '320500', name: '苏州市' },
  { code: '330400', name: '嘉兴市' },
  { code: '340100', name: '合肥市' },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  // Loaded here, after the log level is set: one line per request would bury the figures.
  process.env.HUB_LOG_LEVEL ??= 'warn';
  const { startHub } = await import('../launcher/hub');
  const { launchChromium } = await import('../test/support/browser');
  if (!existsSync(repoPath('dist', 'web', 'console', 'index.html'))) {
    if (spawnSync(process.execPath, [repoPath('bin', 'build-web.js')], { stdio: 'inherit' }).status !== 0) throw new Error('web build failed');
  }
  const runFolder = mkdtempSync(path.join(os.tmpdir(), 'yrd-bench-console-'));
  chmodSync(runFolder, 0o755); // as root, PostgreSQL runs as the user "postgres", who must reach its folder
  process.env.TMPDIR = runFolder; // Chromium's profile and the embedded PostgreSQL stay in the run's folder
  const regionsFile = path.join(runFolder, 'regions.yaml');
  writeFileSync(regionsFile, stringify({ regional_subgraphs: ['petitions', 'dossier', 'enforcement', 'personnel'], regions: REGIONS }));
  const hub = await startHub({
    regionsFile,
    supergraphFile: repoPath('schema', 'supergraph.graphql'),
    dataDir: path.join(runFolder, 'hub'),
    databaseUrl: process.env.DATABASE_URL || undefined,
    databasePrefix: 'yrd_bench_console',
    port: 0,
    backgroundIntervalMs: 0,
    // 200 warnings a region: Jiaxing's officer sees far more than 500 on the board.
    seed: { seed: 2026, scale: { persons: 300, petitions: 400, warnings: 200, inspections: 10, officersPerAgency: 2 } },
    log: () => undefined,
  });
  const chromium = await launchChromium();
  try {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const loaded: Array<{ url: string; gzipped: number; raw: number }> = [];
    page.on('response', async (response) => {
      const url = new URL(response.url());
      if (!/\.(js|css)$/.test(url.pathname)) return;
      const body = await response.body();
      loaded.push({ url: url.pathname, raw: body.length, gzipped: gzipSync(body, { level: 9 }).length });
    });
    await page.goto(`${hub.gateway.url}/console/`);
    await page.getByTestId('demo-officer').selectOption('demo-330400');
    await page.waitForLoadState('networkidle');
    const signInAt = Date.now();
    await page.getByRole('button', { name: '登录' }).first().click();
    await page.locator('[data-testid="warnings"] [data-warning]').first().waitFor({ timeout: 60_000 });
    const firstWarningsMs = Date.now() - signInAt;

    for (let pages = 1; (await page.locator('[data-testid="warnings"] [data-warning]').count()) < 500; pages++) {
      if (pages > 10) throw new Error('fewer than 500 warnings to show');
      const before = await page.locator('[data-testid="warnings"] [data-warning]').count();
      await page.getByTestId('load-more').click();
      await page.waitForFunction((count) => document.querySelectorAll('[data-testid="warnings"] [data-warning]').length > count, before);
    }
    const rows = await page.locator('[data-testid="warnings"] [data-warning]').count();
    // Each run: React's render and commit (until a macrotask after the click: React flushes a click's
    // update in a microtask), the layout it causes (forced), then up to the second frame (paint).
    const runs: Array<{ react: number; layout: number; total: number }> = [];
    for (let i = 0; i < 7; i++) {
      runs.push(
        await page.evaluate(async () => {
          const started = performance.now();
          (document.querySelector('[data-testid="language"]') as HTMLButtonElement).click();
          await new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = resolve;
            channel.port2.postMessage(null);
          });
          const rendered = performance.now();
          void document.body.getBoundingClientRect().height;
          const laidOut = performance.now();
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          return { react: rendered - started, layout: laidOut - rendered, total: performance.now() - started };
        }),
      );
    }
    const renders = runs.map((run) => run.total);
    if (process.env.BENCH_CONSOLE_PROFILE) {
      // Where a re-render's time goes, by function (self time): for finding what to make cheaper.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
      await page.evaluate(async () => {
        (document.querySelector('[data-testid="language"]') as HTMLButtonElement).click();
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      });
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples?.length ?? 1) / 1000;
      const byId = new Map(profile.nodes.map((node) => [node.id, node]));
      for (const id of profile.samples ?? []) {
        const frame = byId.get(id)!.callFrame;
        const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}`;
        self.set(name, (self.get(name) ?? 0) + interval);
      }
      for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
    }
    const js = loaded.filter((entry) => entry.url.endsWith('.js'));
    const css = loaded.filter((entry) => entry.url.endsWith('.css'));
    const sum = (entries: typeof loaded, key: 'raw' | 'gzipped') => entries.reduce((total, entry) => total + entry[key], 0);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    console.log(
      `officer console, Chromium headless (load average ${os
        .loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores)`,
    );
    console.log(`  first load, JavaScript: ${kb(sum(js, 'gzipped'))} gzipped (${kb(sum(js, 'raw'))} raw, ${js.length} files)`);
    console.log(`  first load, CSS:        ${kb(sum(css, 'gzipped'))} gzipped (${kb(sum(css, 'raw'))} raw, ${css.length} files)`);
    console.log(`  first load, total:      ${kb(sum(loaded, 'gzipped'))} gzipped (target < 300 KB)`);
    console.log(`  sign-in to first warnings on the board: ${firstWarningsMs} ms`);
    console.log(`  re-rendering ${rows} warnings: median ${median(renders).toFixed(1)} ms, max ${Math.max(...renders).toFixed(1)} ms (target < 100 ms)`);
    console.log(
      `    of which React ${median(runs.map((run) => run.react)).toFixed(1)} ms, layout ${median(runs.map((run) => run.layout)).toFixed(1)} ms (medians), the rest paint`,
    );
  } finally {
    await chromium.close();
    await hub.stop();
    rmSync(runFolder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
