import { parse } from 'graphql';
import { decodeCompositeCursor, encodeCompositeCursor } from '../gateway/composite-cursor';
import { appendPage, mergedErrorPath, mergeFanOut, mergeFanOutPlaced, probeSize, refillsNeeded } from '../gateway/fan-out-merge';
import { skeletonAnswer } from '../gateway/merge-skeleton';
import { analyzeOperation } from '../gateway/operation-analysis';
import { printRegionOperation } from '../gateway/operation-rewrite';
import { WARNINGS_FAN_OUT_RULES } from './support/fan-out-rules';

const rules = WARNINGS_FAN_OUT_RULES;
const OPERATION = parse(`query Q($first: Int, $after: String, $unused: String) {
  list: petitionWarnings(first: $first, after: $after) { edges { at: cursor node { id } } pageInfo { hasNextPage endCursor } total: __typename }
}`);

/** What one region would return for the rewritten operation: its edges after `position`, newest first. */
function regionPage(region: string, times: number[], position: number, first: number) {
  const remaining = times.slice(position);
  const page = remaining.slice(0, first);
  const edges = page.map((t, i) => ({ cursor: `${region}@${position + i + 1}`, sortValue: new Date(t).toISOString() }));
  return {
    region,
    value: {
      edges: page.map((t, i) => ({ at: `${region}@${position + i + 1}`, node: { id: `${region}:${t}` } })),
      ...skeletonAnswer(edges, remaining.length > first),
    },
  };
}

describe('fan-out merging', () => {
  const analyzed = analyzeOperation(OPERATION, rules);
  const shape = analyzed.roots[0].fanOut!;

  test('pages through regions with ties, in order, without duplicates or gaps', () => {
    // Equal timestamps across regions are the hard case for a cursor.
    const data: Record<string, number[]> = {
      '310000': [90, 80, 80, 50, 10],
      '330400': [95, 80, 60, 50, 50, 5],
      '340100': [80],
    };
    const expected = Object.entries(data)
      .flatMap(([region, times]) => times.map((t, i) => ({ region, t, i })))
      .sort((a, b) => b.t - a.t || (a.region < b.region ? -1 : 1) || a.i - b.i)
      .map(({ region, t }) => `${region}:${t}`);

    const seen: string[] = [];
    let cursor = { positions: {} as Record<string, string>, exhausted: [] as string[] };
    for (let round = 0; round < 20; round++) {
      const pages = Object.entries(data)
        .filter(([region]) => !cursor.exhausted.includes(region))
        .map(([region, times]) => regionPage(region, times, cursor.positions[region] ? Number(cursor.positions[region].split('@')[1]) : 0, 3));
      const merged = mergeFanOut({ shape, pages, first: 3, start: cursor, resumed: round > 0 }) as any;
      seen.push(...merged.edges.map((edge: any) => edge.node.id));
      expect(merged.total).toBe('PetitionWarningConnection');
      if (!merged.pageInfo.hasNextPage) break;
      cursor = decodeCompositeCursor(merged.pageInfo.endCursor);
    }
    expect(seen).toEqual(expected);
  });

  test('edge cursors replace the region’s own and resume right after their edge', () => {
    const pages = [regionPage('310000', [9, 7, 5], 0, 3), regionPage('320500', [8, 6, 4], 0, 3)];
    const merged = mergeFanOut({ shape, pages, first: 3, start: { positions: {}, exhausted: [] }, resumed: false }) as any;
    expect(merged.edges.map((e: any) => e.node.id)).toEqual(['310000:9', '320500:8', '310000:7']);
    expect(decodeCompositeCursor(merged.edges[1].at).positions).toEqual({ '310000': '310000@1', '320500': '320500@1' });
    expect(merged.pageInfo.endCursor).toBe(merged.edges[2].at);
  });

  test('a region that did not answer keeps its position', () => {
    const start = { positions: { '320500': '320500@4' }, exhausted: [] };
    const merged = mergeFanOut({
      shape,
      pages: [regionPage('310000', [3, 2, 1], 0, 2), { region: '320500', value: null }],
      first: 2,
      start,
      resumed: true,
    }) as any;
    expect(decodeCompositeCursor(merged.pageInfo.endCursor).positions['320500']).toBe('320500@4');
  });

  test('composite cursors round-trip and forged ones are refused', () => {
    const cursor = { positions: { '330400': 'abc' }, exhausted: ['310000'] };
    expect(decodeCompositeCursor(encodeCompositeCursor(cursor))).toEqual(cursor);
    for (const forged of ['', 'x', Buffer.from('{"v":2,"p":{}}').toString('base64url'), Buffer.from('{"v":1,"p":{"33":"a"}}').toString('base64url')]) {
      expect(() => decodeCompositeCursor(forged)).toThrow(/^after: is not a cursor/);
    }
  });

  test('the region operation substitutes first/after, adds the merge skeleton and drops unused variables', () => {
    const text = printRegionOperation(analyzed, analyzed.roots);
    expect(text).toContain('query Q($_yrdFirst0: Int, $_yrdAfter0: String)');
    expect(text).toContain('petitionWarnings(first: $_yrdFirst0, after: $_yrdAfter0)');
    expect(text).toContain('_yrdMergeEdges: edges {\n      c: cursor\n      n: node {\n        k: raisedAt');
    expect(text).not.toContain('$unused');
    // Printed once per operation and set of roots: a second call answers from the cache, not by printing again.
    const printed = (analyzed as { printed?: Map<string, string> }).printed!;
    const key = [...printed.keys()].find((k) => printed.get(k) === text)!;
    printed.set(key, 'from the cache');
    expect(printRegionOperation(analyzed, analyzed.roots)).toBe('from the cache');
    printed.set(key, text);
  });

  describe('asking many regions for a probe first, then refilling', () => {
    /** A deterministic pseudo-random sequence (the same data on every run). */
    const random = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

    /** `regions` regions of newest-first times: uniform, ties frequent, or one region holding the newest. */
    function dataset(regions: number, kind: 'uniform' | 'ties' | 'skewed', seed: number): Record<string, number[]> {
      const next = random(seed);
      const data: Record<string, number[]> = {};
      for (let r = 0; r < regions; r++) {
        const count = Math.floor(next() * 30);
        const times = Array.from(
          { length: count },
          () => (kind === 'ties' ? Math.floor(next() * 8) : Math.floor(next() * 10_000)) + (kind === 'skewed' && r === 3 ? 20_000 : 0),
        );
        data[String(310000 + r * 100)] = times.sort((a, b) => b - a);
      }
      return data;
    }

    /** Pages through `data` with pages of `first`, each region asked `ask(regions)` edges, refilled as the data source does. */
    function pageThrough(data: Record<string, number[]>, first: number, probe: boolean): unknown[] {
      const results: unknown[] = [];
      let cursor = { positions: {} as Record<string, string>, exhausted: [] as string[] };
      const positionOf = (code: string) => (cursor.positions[code] ? Number(cursor.positions[code].split('@')[1]) : 0);
      for (let round = 0; round < 200; round++) {
        const targets = Object.keys(data).filter((code) => !cursor.exhausted.includes(code));
        const size = probe ? probeSize(first, targets.length) : first;
        const pages = targets.map((code) => regionPage(code, data[code], positionOf(code), size));
        if (size < first) {
          for (const refill of refillsNeeded(shape, pages, first)) {
            const page = pages.find((p) => p.region === refill.region)!;
            appendPage(shape, page.value, regionPage(refill.region, data[refill.region], Number(refill.after.split('@')[1]), refill.first).value);
          }
        }
        const merged = mergeFanOut({ shape, pages, first, start: cursor, resumed: round > 0 }) as any;
        results.push(merged);
        if (!merged.pageInfo.hasNextPage) return results;
        cursor = decodeCompositeCursor(merged.pageInfo.endCursor);
      }
      throw new Error('did not finish');
    }

    test('probe sizes: the whole page below 8 regions or over 100 rows, else an even share and a margin', () => {
      expect(probeSize(20, 4)).toBe(20);
      expect(probeSize(20, 41)).toBe(4);
      expect(probeSize(100, 41)).toBe(6);
      expect(probeSize(20, 10)).toBe(5);
      expect(probeSize(1, 41)).toBe(1);
      // Over the subgraphs' cap of 100 the page is asked in full, so regions refuse it as before.
      expect(probeSize(101, 41)).toBe(101);
      expect(probeSize(100, 41)).toBe(6);
    });

    test.each([
      [41, 'uniform', 20],
      [41, 'ties', 20],
      [41, 'skewed', 20],
      [12, 'uniform', 7],
      [12, 'skewed', 50],
      [9, 'ties', 3],
    ] as const)('%i regions, %s data, pages of %i: every page equals the page full answers give', (regions, kind, first) => {
      for (const seed of [1, 2, 3]) {
        const data = dataset(regions, kind, seed);
        const full = pageThrough(data, first, false);
        const probed = pageThrough(data, first, true);
        expect(JSON.stringify(probed)).toBe(JSON.stringify(full));
        expect(full.length).toBeGreaterThan(1);
      }
    });

    test('only regions whose every fetched edge made the page, and that have more, are asked again', () => {
      const pages = [regionPage('310000', [9, 8, 7, 6], 0, 2), regionPage('320500', [5, 4], 0, 2), regionPage('330400', [3, 2, 1], 0, 2)];
      // The page of 3: 9, 8 (Shanghai, both taken, more left) and 5 (Suzhou, one of two).
      expect(refillsNeeded(shape, pages, 3)).toEqual([{ region: '310000', after: '310000@2', first: 1 }]);
    });
  });

  test('a region’s error inside its page moves to its edge’s merged index, and goes with an edge the page drops', () => {
    const pages = [regionPage('310000', [9, 7, 5], 0, 3), regionPage('320500', [8, 6, 4], 0, 3)];
    const merge = mergeFanOutPlaced({ shape, pages, first: 4, start: { positions: {}, exhausted: [] }, resumed: false });
    expect((merge.value as any).edges.map((edge: any) => edge.node.id)).toEqual(['310000:9', '320500:8', '310000:7', '320500:6']);
    expect(mergedErrorPath(shape, merge, '320500', ['edges', 1, 'node', 'id'])).toEqual(['edges', 3, 'node', 'id']);
    expect(mergedErrorPath(shape, merge, '310000', ['edges', 0, 'node'])).toEqual(['edges', 0, 'node']);
    expect(mergedErrorPath(shape, merge, '310000', ['edges', 2, 'node', 'id'])).toBeNull(); // 310000:5 is not on the page
    expect(mergedErrorPath(shape, merge, '320500', ['pageInfo', 'endCursor'])).toEqual(['pageInfo', 'endCursor']);
    expect(mergedErrorPath(shape, merge, '320500', ['_yrdMergeEdges', 0, 'n'])).toEqual([]);
    // An error from a refill counts its edges after those the region's page already had.
    expect(mergedErrorPath(shape, merge, '310000', ['edges', 0, 'node'], 1)).toEqual(['edges', 2, 'node']);
  });
});
