#!/usr/bin/env node
'use strict';
/**
 * Compiles the TypeScript (`tsc -b tsconfig.json`) unless nothing it reads changed since the last
 * compile: the folders tsconfig.json includes, tsconfig.json and package-lock.json (the installed
 * types). Even a no-op `tsc -b` loads the compiler and reads every source and declaration (about
 * half a second, several on a loaded machine); these file stats cost a few milliseconds, which keeps
 * `npm run --silent token -- LOGIN` and `npm start` quick on a built checkout. `--force` compiles.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const stamp = path.join(root, 'dist', '.tsc-built');

function newestChange(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a removed or renamed file changes its folder
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestChange(path.join(target, entry)));
  }
  return newest;
}

function upToDate() {
  const built = fs.statSync(stamp, { throwIfNoEntry: false });
  if (!built) return false;
  // tsconfig.json is JSON with comments (as tsc reads it): whole-line comments are dropped first.
  const text = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const config = JSON.parse(text);
  const inputs = ['tsconfig.json', 'package-lock.json', ...config.include];
  return inputs.every((input) => newestChange(path.join(root, input)) <= built.mtimeMs);
}

if (process.argv.includes('--force') || !upToDate()) {
  const startedAt = new Date();
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  // Stamped with the time the compile started: a file saved while tsc ran is compiled next time.
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, '');
  fs.utimesSync(stamp, startedAt, startedAt);
}
