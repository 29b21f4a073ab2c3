/**
 * One answer for identical per-event queries in flight at once. An event reaches every
 * subscriber in the same moment; the subscriptions one caller holds (a console in several tabs,
 * several devices) ask the same query for it with the same credentials, so they share one
 * execution instead of each running it. The key holds everything the answer depends on — the
 * credentials and purpose the context is made from, the query text and its variables — so a
 * shared answer is exactly the one each would have got; callers never share with each other.
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
