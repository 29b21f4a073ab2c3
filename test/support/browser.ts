import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, as CI runs it (`.ci/run` installs the package).
 * A machine without it skips the browser tests with one line; CI (CI=true) fails instead, so a
 * missing browser can never pass for a green run.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

/** `describe` or `describe.skip`, printing why once when skipped. */
export function describeWithBrowser(name: string, body: () => void): void {
  if (!chromiumAvailable && process.env.CI !== 'true') {
    console.log(`${name}: skipped, no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * A headless Chromium with a fresh profile of its own, removed again by close(). Playwright makes
 * that profile itself (in TMPDIR, the run's folder) and refuses a `--user-data-dir` of ours.
 */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}
