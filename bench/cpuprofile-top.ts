import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where the time went: the top
 * functions by self time, and self time by package (node_modules/<package>, node: internals,
 * the project's own files, GC and idle).
 *
 *   node dist/bench/cpuprofile-top.js FILE.cpuprofile [FILE…] [N]   (several files: threads of one process, added up)
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? `project: ${url.slice(dist + '/dist/'.length).split('/')[0]}/` : url;
}

function where(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '';
  const url = frame.url.replace(/^file:\/\//, '');
  const nm = url.lastIndexOf('node_modules/');
  const short = nm >= 0 ? url.slice(nm + 'node_modules/'.length) : url.includes('/dist/') ? url.slice(url.indexOf('/dist/') + 1) : path.basename(url);
  return `${short}:${frame.lineNumber + 1}`;
}

/**
 * The summary of one profile, or of several profiled together (the threads of one process:
 * `--cpu-prof` writes one file per thread), their self times added up.
 */
export function summariseProfile(files: string | string[], top = 15): string {
  let total = 0;
  let idle = 0;
  const functions = new Map<string, { name: string; where: string; pkg: string; time: number }>();
  const packages = new Map<string, number>();
  for (const file of typeof files === 'string' ? [files] : files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const [id, time] of self) {
      total += time;
      const { callFrame } = byId.get(id)!;
      if (callFrame.functionName === '(idle)') {
        idle += time;
        continue;
      }
      const key = `${callFrame.functionName}@${callFrame.url}:${callFrame.lineNumber}`;
      const entry = functions.get(key) ?? {
        name: callFrame.functionName || '(anonymous)',
        where: where(callFrame),
        pkg: packageOf(callFrame.url, callFrame.functionName),
        time: 0,
      };
      entry.time += time;
      functions.set(key, entry);
      packages.set(entry.pkg, (packages.get(entry.pkg) ?? 0) + time);
    }
  }
  const busy = total - idle;
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1)}%`;
  const lines = [
    `Busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled${typeof files === 'string' || files.length === 1 ? '' : ` in ${files.length} threads`} (idle ${pct(idle)} of busy time excluded). Self time, share of busy time:`,
    '',
    '| # | function | where | package | self |',
    '| ---: | --- | --- | --- | ---: |',
    ...[...functions.values()]
      .sort((a, b) => b.time - a.time)
      .slice(0, top)
      .map((f, i) => `| ${i + 1} | \`${f.name}\` | ${f.where} | ${f.pkg} | ${pct(f.time)} |`),
    '',
    '| package | self |',
    '| --- | ---: |',
    ...[...packages]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([pkg, t]) => `| ${pkg} | ${pct(t)} |`),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const n = args.length > 1 && /^\d+$/.test(args[args.length - 1]) ? Number(args.pop()) : 15;
  if (args.length === 0) {
    console.error('usage: node dist/bench/cpuprofile-top.js FILE.cpuprofile [FILE…] [N]');
    process.exit(2);
  }
  console.log(summariseProfile(args, n));
}
