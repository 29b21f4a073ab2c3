#!/usr/bin/env node
'use strict';
/**
 * Builds the hub's web applications (web/<app>/vite.config.mjs → dist/web/<app>/) with Vite,
 * skipping an application whose sources and the lock file are older than its last build, so a
 * build with nothing changed costs a few file stats. `--force` rebuilds all.
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const webRoot = path.join(root, 'web');
const force = process.argv.includes('--force');

function newestChange(target) {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestChange(path.join(target, entry)));
  }
  return newest;
}

async function main() {
  if (!fs.existsSync(webRoot)) return;
  const apps = fs.readdirSync(webRoot).filter((name) => fs.existsSync(path.join(webRoot, name, 'vite.config.mjs')));
  for (const app of apps) {
    const stamp = path.join(root, 'dist', 'web', `${app}.built`);
    const sources = Math.max(newestChange(path.join(webRoot, app)), fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
    if (!force && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= sources) continue;
    // Type-check first (Vite only strips types): an app's own tsconfig.json, DOM lib and JSX.
    const tsconfig = path.join(webRoot, app, 'tsconfig.json');
    if (fs.existsSync(tsconfig)) {
      const checked = require('node:child_process').spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
      if (checked.status !== 0) throw new Error(`${app}: type errors (tsc -p ${path.relative(root, tsconfig)})`);
    }
    const { build } = await import('vite');
    await build({ configFile: path.join(webRoot, app, 'vite.config.mjs'), logLevel: 'warn' });
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, new Date().toISOString());
  }
}

main().catch((error) => {
  console.error(`web build failed: ${error.message}`);
  process.exit(1);
});
