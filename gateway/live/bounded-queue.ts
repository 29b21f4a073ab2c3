/**
 * A first-in first-out queue with a capacity, read as an async iterator: the hand-over between
 * what arrives (feed events, resolved results) and what a subscriber takes. `push` answers
 * false once the capacity is exceeded, so that the owner can say "too slow" rather than grow.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): boolean {
    if (this.ended) return true;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  /** Ends the queue; what is queued is still read, then it is done. */
  end(): void {
    this.ended = true;
    if (this.waiter && !this.items.length) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter({ value: undefined, done: true });
    }
  }

  /** Ends it now, dropping what is queued. */
  clear(): void {
    this.items.length = 0;
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }
}
