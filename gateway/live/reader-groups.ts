import type { Reader } from '../../auth/context-token';
import type { AuthenticatedRequest } from '../authentication';

/**
 * One execution of a live event's selection for all the subscribers of equal rights who ask
 * it at once. An event reaches every subscriber in the same moment, and subscribers whose
 * rights are the same (jurisdiction, agency, roles, purpose, grants: everything an answer
 * depends on besides who reads it) asking the same query get the same answer. So the first to
 * ask leads a group, those asking before the next turn of the event loop join it, and the query
 * runs once, as the leader, naming every other member as a reader: each region then writes
 * every member's audit rows, as if each had asked (context-token.ts `alsoReadBy`). An officer
 * is one reader however many of their subscriptions ask (one read, one audit row per officer),
 * and joins a group already running that names them instead of starting another.
 */
export class ReaderGroups<T> {
  private readonly forming = new Map<string, Group<T>>();
  private readonly running = new Map<string, Set<Group<T>>>();

  constructor(private readonly maxReaders: number) {}

  /**
   * `key` holds everything the answer depends on but the reader: rights, query text, variables.
   * `execute` runs the query as `leader` with `readers` (the other members) named in its
   * context; the group's first member's is used, the same for all of them by the key.
   */
  run(key: string, member: AuthenticatedRequest, execute: (leader: AuthenticatedRequest, readers: readonly Reader[]) => Promise<T>): Promise<T> {
    const officerId = member.context.officerId;
    for (const group of this.running.get(key) ?? []) if (group.readers.has(officerId)) return group.answer;
    let group = this.forming.get(key);
    if (!group || group.readers.size >= this.maxReaders) {
      group = this.form(key, member, execute);
    } else if (!group.readers.has(officerId)) {
      group.readers.set(officerId, { officerId, requestId: member.context.requestId });
    }
    return group.answer;
  }

  private form(key: string, leader: AuthenticatedRequest, execute: (leader: AuthenticatedRequest, readers: readonly Reader[]) => Promise<T>): Group<T> {
    let settle!: (answer: Promise<T>) => void;
    const answer = new Promise<T>((resolve) => (settle = resolve));
    const group: Group<T> = {
      leader,
      readers: new Map([[leader.context.officerId, { officerId: leader.context.officerId, requestId: leader.context.requestId }]]),
      answer,
    };
    this.forming.set(key, group);
    // Everyone the event reached asks within the same turn (their checks are answered from caches).
    setImmediate(() => {
      if (this.forming.get(key) === group) this.forming.delete(key);
      const running = this.running.get(key) ?? new Set<Group<T>>();
      running.add(group);
      this.running.set(key, running);
      const others = [...group.readers.values()].filter((reader) => reader.officerId !== leader.context.officerId);
      const started = Promise.resolve().then(() => execute(leader, others));
      settle(started);
      const done = () => {
        running.delete(group);
        if (!running.size && this.running.get(key) === running) this.running.delete(key);
      };
      started.then(done, done);
    });
    return group;
  }

  /** Groups forming or running (for the tests and metrics). */
  get size(): number {
    let running = 0;
    this.running.forEach((groups) => (running += groups.size));
    return this.forming.size + running;
  }
}

interface Group<T> {
  leader: AuthenticatedRequest;
  readers: Map<string, Reader>;
  answer: Promise<T>;
}
