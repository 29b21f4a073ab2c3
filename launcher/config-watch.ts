import { watch, FSWatcher } from 'node:fs';
import path from 'node:path';

/**
 * Calls `changed` once a watched file has settled after a change. The folder is watched, not
 * the file: editors save by writing a new file and renaming it over the old one, and Kubernetes
 * swaps a mounted ConfigMap by replacing a symlink, both of which a watch on the file itself
 * stops seeing after the first time. Bursts of events (a save is several) count once.
 */
export function watchFiles(files: readonly string[], changed: (file: string) => void, settleMs = 300): { close(): void } {
  const watchers: FSWatcher[] = [];
  const timers = new Map<string, NodeJS.Timeout>();
  const byFolder = new Map<string, Set<string>>();
  for (const file of files.map((name) => path.resolve(name))) {
    const folder = path.dirname(file);
    byFolder.set(folder, (byFolder.get(folder) ?? new Set()).add(path.basename(file)));
  }
  for (const [folder, names] of byFolder) {
    const watcher = watch(folder, { persistent: false }, (_event, name) => {
      // Without a name (some platforms), any file of the folder may be the one.
      const hit = name ? (names.has(name.toString()) ? [name.toString()] : ['..data'].includes(name.toString()) ? [...names] : []) : [...names];
      for (const base of hit) {
        const file = path.join(folder, base);
        clearTimeout(timers.get(file));
        timers.set(
          file,
          setTimeout(() => {
            timers.delete(file);
            changed(file);
          }, settleMs),
        );
      }
    });
    watcher.on('error', () => undefined); // a folder that goes away ends its watch, not the hub
    watchers.push(watcher);
  }
  return {
    close: () => {
      watchers.forEach((watcher) => watcher.close());
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
    },
  };
}
