/**
 * One answer for identical queries in flight at once: an event reaches every subscriber in the
 * same moment, and the probe each asks first (may I see this warning, does my filter match)
 * reads nothing personal and writes no audit row, so everyone whose key is the same — the
 * rights the answer depends on, the query text and its variables — shares one execution, whose
 * answer is exactly the one each would have got.
 */
export class SharedAnswers<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, execute: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = execute();
    this.inFlight.set(key, started);
    const forget = () => {
      if (this.inFlight.get(key) === started) this.inFlight.delete(key);
    };
    started.then(forget, forget);
    return started;
  }

  get size(): number {
    return this.inFlight.size;
  }
}
