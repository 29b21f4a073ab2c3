import type { QueryAnswer } from './warning-event-stream';

/**
 * Live events' executions, batched by load. Each lane (one per caller rights, readers, query
 * and subscription variables: everything an execution depends on but the event) runs one
 * execution at a time: events asked while its lane is idle run in the next turn of the event
 * loop, together, and events asked while the lane's execution is under way wait for it and
 * then run together, as one operation (batched-event-query.ts). So an idle gateway adds a turn
 * of the event loop to an execution, and a busy
 * one runs one execution for the many events that came in the meantime instead of one each:
 * the cost of an execution (Apollo's pipeline, the context tokens, the regions' HTTP and their
 * verification) is spread over every event it resolves, while each event's SQL and audit rows
 * stay its own.
 */

/** Runs `query` for the events whose variables are given, as `runAs`; one answer per event, in order. */
export type ExecuteEvents<A> = (runAs: A, query: string, eventsVariables: readonly Record<string, unknown>[]) => Promise<QueryAnswer[]>;

interface Waiting<A> {
  runAs: A;
  query: string;
  variables: Record<string, unknown>;
  resolve(answer: QueryAnswer): void;
  reject(error: unknown): void;
}

interface Lane<A> {
  waiting: Waiting<A>[];
  running: boolean;
}

export class EventBatches<A> {
  private readonly lanes = new Map<string, Lane<A>>();

  constructor(
    private readonly execute: ExecuteEvents<A>,
    /** Most events in one execution: the planner plans each batch size once, and a larger operation is slower to plan. */
    private readonly maxEvents = 16,
  ) {}

  /**
   * The answer of `query` with `variables` for one event. `lane` holds everything the answer
   * depends on but the event's own variables; `runAs` is the caller it runs as (a batch runs as
   * its last event's, the same rights and readers by the lane, checked most recently).
   */
  run(lane: string, runAs: A, query: string, variables: Record<string, unknown>): Promise<QueryAnswer> {
    let state = this.lanes.get(lane);
    if (!state) this.lanes.set(lane, (state = { waiting: [], running: false }));
    const answer = new Promise<QueryAnswer>((resolve, reject) => state.waiting.push({ runAs, query, variables, resolve, reject }));
    if (!state.running) {
      // Started in the next turn of the event loop, with every event asked in this one (a stream
      // resolving a few ahead, the subscribers a feed relays an event to).
      state.running = true;
      setImmediate(() => this.next(lane, state));
    }
    return answer;
  }

  private next(lane: string, state: Lane<A>): void {
    if (!state.waiting.length) {
      state.running = false;
      this.lanes.delete(lane);
      return;
    }
    const batch = state.waiting.splice(0, this.maxEvents);
    const done = () => this.next(lane, state);
    // As the caller asked last: of equal rights and readers by the lane, and its check the newest.
    const newest = batch[batch.length - 1];
    Promise.resolve()
      .then(() =>
        this.execute(
          newest.runAs,
          newest.query,
          batch.map((event) => event.variables),
        ),
      )
      .then((answers) => {
        if (answers.length !== batch.length) throw new Error(`a batch of ${batch.length} events was answered ${answers.length} times`);
        batch.forEach((event, index) => event.resolve(answers[index]));
      })
      .catch((error: unknown) => batch.forEach((event) => event.reject(error)))
      .finally(done);
  }

  /** Lanes with an execution under way or events waiting (for the tests). */
  get size(): number {
    return this.lanes.size;
  }
}
