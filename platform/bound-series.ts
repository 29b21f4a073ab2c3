import { Metric, register, Registry } from 'prom-client';

/**
 * Counters and histograms whose per-call work is a few additions. prom-client's own Counter
 * and Histogram build, validate and hash a label object on every inc() and observe(), even
 * through a child kept from labels(); a fan-out request makes some twenty such calls (per
 * region fetch, per subgraph request, per SQL statement) and, with the garbage they leave,
 * they were most of what metrics cost it. Here labels(...) binds a label set once, to a series
 * kept for good (label sets are bounded, see metrics.ts), and an inc() or observe() only adds
 * to its numbers.
 *
 * They sit in prom-client's registry beside its own metrics and read out exactly as its
 * Counter and Histogram do (get(): the same values, labels and order; a series appears once
 * first counted or observed), so that /metrics, the text format and the merge across worker
 * threads (thread-metrics.ts) cannot tell them apart.
 */

interface Config<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Where it is read (prom-client's global registry unless given). */
  registry?: Registry;
}

type Labels = Record<string, string | number>;
type Value = { value: number; labels: Labels; metricName?: string; exemplar?: null };

abstract class BoundMetric<L extends string, S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'histogram';
  /** The series by their first label's value, then the next one's…: looking one up builds no key. */
  private readonly bound = new Map<string, unknown>();
  /** The series counted or observed at least once, in the order they first were. */
  protected readonly shown: Array<{ labels: Labels; series: S }> = [];

  constructor(config: Config<L>) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames;
    // Read through get() alone, which is all a registry asks of a metric.
    (config.registry ?? register).registerMetric(this as unknown as Metric);
  }

  /** A new series, which calls `show` before its first count or observation. */
  protected abstract create(show: () => void): S;

  /** The series of these label values (one per label name, in their order), the same one on every call. */
  labels(...values: string[]): S {
    if (values.length !== this.labelNames.length)
      throw new Error(`${this.name} has the labels ${this.labelNames.join(', ')}, but got ${values.length} values: ${values.join(', ')}`);
    let level = this.bound;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(values[i]) as Map<string, unknown> | undefined;
      if (!next) level.set(values[i], (next = new Map()));
      level = next;
    }
    let series = level.get(values[last]) as S | undefined;
    if (!series) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]));
      const created = this.create(() => this.shown.push({ labels, series: created }));
      level.set(values[last], (series = created));
    }
    return series;
  }

  protected abstract values(): Value[];

  /** The metric as prom-client's registry reads it (getMetricsAsJSON, the text format). */
  async get() {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: this.aggregator };
  }
}

export interface CounterSeries {
  inc(by?: number): void;
}

export class BoundCounter<L extends string> extends BoundMetric<L, CounterSeries & { value: number }> {
  readonly type = 'counter';

  protected create(show: () => void) {
    let shown = false;
    return {
      value: 0,
      inc(by = 1) {
        if (!shown) {
          shown = true;
          show();
        }
        this.value += by;
      },
    };
  }

  protected values(): Value[] {
    return this.shown.map(({ labels, series }) => ({ value: series.value, labels }));
  }
}

export interface HistogramSeries {
  observe(value: number): void;
}

export class BoundHistogram<L extends string> extends BoundMetric<L, HistogramSeries & { counts: Float64Array; sum: number; count: number }> {
  readonly type = 'histogram';
  private readonly buckets: readonly number[];

  /** `buckets`: upper bounds, ascending. */
  constructor(config: Config<L> & { buckets: readonly number[] }) {
    super(config);
    this.buckets = config.buckets;
  }

  protected create(show: () => void) {
    const buckets = this.buckets;
    return {
      counts: new Float64Array(buckets.length),
      sum: 0,
      count: 0,
      observe(value: number) {
        if (this.count === 0) show();
        let i = 0;
        while (i < buckets.length && value > buckets[i]) i++;
        // As prom-client: a value above every bound is counted in +Inf (the count) only.
        if (i < buckets.length) this.counts[i] += 1;
        this.sum += value;
        this.count += 1;
      },
    };
  }

  protected values(): Value[] {
    const bucket = `${this.name}_bucket`;
    const values: Value[] = [];
    for (const { labels, series } of this.shown) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += series.counts[i];
        values.push({ labels: { le, ...labels }, value: cumulative, metricName: bucket, exemplar: null });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: series.count, metricName: bucket, exemplar: null });
      values.push({ labels: { ...labels }, value: series.sum, metricName: `${this.name}_sum`, exemplar: undefined });
      values.push({ labels: { ...labels }, value: series.count, metricName: `${this.name}_count`, exemplar: undefined });
    }
    return values;
  }
}
