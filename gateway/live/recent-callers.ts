import type { AuthenticatedRequest } from '../authentication';

/**
 * A subscriber's caller, checked again for each event but at most once a second per
 * credentials. Events come dozens a second; checking each anew would verify the same token,
 * ask the same (2-second) roster and grants caches, and sign new context tokens for every
 * subgraph, which every region then verifies again. A check at most `freshMs` old keeps what a
 * check is for: a token that expired, an officer who left the roster, a revoked agreement still
 * stop delivery within seconds. A check that fails is not kept; checks in flight are shared.
 */
export class RecentCallers {
  private readonly checked = new Map<string, { auth: Promise<AuthenticatedRequest>; until: number }>();

  constructor(
    private readonly freshMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(credentials: string, check: () => Promise<AuthenticatedRequest>): Promise<AuthenticatedRequest> {
    const now = this.now();
    const kept = this.checked.get(credentials);
    if (kept && kept.until > now) return kept.auth;
    if (this.checked.size >= 10_000) this.prune(now);
    const auth = check();
    const entry = { auth, until: now + this.freshMs };
    this.checked.set(credentials, entry);
    auth.then(
      (checked) => {
        // A token is never used past its expiry, however fresh its check.
        entry.until = Math.min(entry.until, checked.caller.expiresAt * 1000);
      },
      () => {
        if (this.checked.get(credentials) === entry) this.checked.delete(credentials);
      },
    );
    return auth;
  }

  private prune(now: number): void {
    for (const [credentials, entry] of this.checked) if (entry.until <= now) this.checked.delete(credentials);
    if (this.checked.size >= 10_000) this.checked.clear();
  }
}
