/**
 * The petition lifecycle of 信访工作条例 (2022) as plain data: which step may follow which,
 * and which deadline runs in each state. Resolvers and repository only ask this module; no
 * other file knows the order of the steps.
 *
 *   REGISTERED ─┬─ assign ──► ASSIGNED ─┐
 *               ├─ decline ─► NOT_ACCEPTED (end)
 *               └─ accept ──► ACCEPTED ◄┘ (ASSIGNED may also be declined)
 *   ACCEPTED ── startHandling ──► HANDLING ── reply ──► REPLIED
 *   REPLIED ── requestReview (within 30 days) ──► REVIEW ── decideReview ──► REVIEW (decided)
 *   REVIEW (decided) ── requestReReview (within 30 days) ──► RE_REVIEW ── decideReReview ──► CLOSED
 *   REPLIED or REVIEW (decided) ── close ──► CLOSED, once the petitioner's 30-day window to ask
 *   for a review (or re-review) has passed unused; after re-review the matter is closed for good.
 */

export enum PetitionStatus {
  REGISTERED = 'REGISTERED',
  ASSIGNED = 'ASSIGNED',
  NOT_ACCEPTED = 'NOT_ACCEPTED',
  ACCEPTED = 'ACCEPTED',
  HANDLING = 'HANDLING',
  REPLIED = 'REPLIED',
  REVIEW = 'REVIEW',
  RE_REVIEW = 'RE_REVIEW',
  CLOSED = 'CLOSED',
}

export enum DeadlineKind {
  ACCEPTANCE = 'ACCEPTANCE',
  HANDLING = 'HANDLING',
  REVIEW_REQUEST = 'REVIEW_REQUEST',
  REVIEW_DECISION = 'REVIEW_DECISION',
  RE_REVIEW_REQUEST = 'RE_REVIEW_REQUEST',
  RE_REVIEW_DECISION = 'RE_REVIEW_DECISION',
}

export type PetitionAction =
  | 'assign'
  | 'decline'
  | 'accept'
  | 'startHandling'
  | 'extend'
  | 'reply'
  | 'requestReview'
  | 'decideReview'
  | 'requestReReview'
  | 'decideReReview'
  | 'close';

export const DAY_MS = 86_400_000;
export const ACCEPTANCE_DAYS = 15;
export const HANDLING_DAYS = 60;
export const MAX_EXTENSION_DAYS = 30;
export const REQUEST_WINDOW_DAYS = 30;
export const DECISION_DAYS = 30;

/** The dates a petition's deadlines are computed from. */
export interface LifecycleFacts {
  status: PetitionStatus;
  registeredAt: Date;
  acceptedAt: Date | null;
  repliedAt: Date | null;
  reviewRequestedAt: Date | null;
  reviewDecidedAt: Date | null;
  reReviewRequestedAt: Date | null;
  extensionDays: number | null;
}

export interface Deadline {
  kind: DeadlineKind;
  dueAt: Date;
  /** True when the hub's officers owe the next step (not the petitioner). */
  officersOwe: boolean;
}

const after = (from: Date, days: number) => new Date(from.getTime() + days * DAY_MS);

/** The deadline running in the petition's current state, if any. */
export function currentDeadline(facts: LifecycleFacts): Deadline | null {
  switch (facts.status) {
    case PetitionStatus.REGISTERED:
    case PetitionStatus.ASSIGNED:
      return { kind: DeadlineKind.ACCEPTANCE, dueAt: after(facts.registeredAt, ACCEPTANCE_DAYS), officersOwe: true };
    case PetitionStatus.ACCEPTED:
    case PetitionStatus.HANDLING:
      return {
        kind: DeadlineKind.HANDLING,
        dueAt: after(facts.acceptedAt!, HANDLING_DAYS + (facts.extensionDays ?? 0)),
        officersOwe: true,
      };
    case PetitionStatus.REPLIED:
      return { kind: DeadlineKind.REVIEW_REQUEST, dueAt: after(facts.repliedAt!, REQUEST_WINDOW_DAYS), officersOwe: false };
    case PetitionStatus.REVIEW:
      return facts.reviewDecidedAt
        ? { kind: DeadlineKind.RE_REVIEW_REQUEST, dueAt: after(facts.reviewDecidedAt, REQUEST_WINDOW_DAYS), officersOwe: false }
        : { kind: DeadlineKind.REVIEW_DECISION, dueAt: after(facts.reviewRequestedAt!, DECISION_DAYS), officersOwe: true };
    case PetitionStatus.RE_REVIEW:
      return { kind: DeadlineKind.RE_REVIEW_DECISION, dueAt: after(facts.reReviewRequestedAt!, DECISION_DAYS), officersOwe: true };
    default:
      return null;
  }
}

/** Whole days from `now` to `dueAt`, rounded up; negative once the deadline has passed. */
export function daysLeft(dueAt: Date, now: Date): number {
  return Math.ceil((dueAt.getTime() - now.getTime()) / DAY_MS) || 0; // never -0: JSON would print it as 0 anyway
}

/**
 * Decides whether `action` may happen now. Returns the status it leads to and the timestamp
 * column it sets, or the reason it may not (for INVALID_TRANSITION).
 */
export function planTransition(
  facts: LifecycleFacts,
  action: PetitionAction,
  now: Date,
): { to: PetitionStatus; stamp?: keyof LifecycleFacts } | { refused: string } {
  const { status } = facts;
  const from = (...allowed: PetitionStatus[]) => allowed.includes(status);
  const refuse = (expected: string) => ({ refused: `cannot ${describe(action)} a petition that is ${status}; it must be ${expected}` });
  switch (action) {
    case 'assign':
      return from(PetitionStatus.REGISTERED) ? { to: PetitionStatus.ASSIGNED } : refuse('REGISTERED');
    case 'decline':
      return from(PetitionStatus.REGISTERED, PetitionStatus.ASSIGNED) ? { to: PetitionStatus.NOT_ACCEPTED } : refuse('REGISTERED or ASSIGNED');
    case 'accept':
      return from(PetitionStatus.REGISTERED, PetitionStatus.ASSIGNED) ? { to: PetitionStatus.ACCEPTED, stamp: 'acceptedAt' } : refuse('REGISTERED or ASSIGNED');
    case 'startHandling':
      return from(PetitionStatus.ACCEPTED) ? { to: PetitionStatus.HANDLING } : refuse('ACCEPTED');
    case 'extend':
      if (!from(PetitionStatus.ACCEPTED, PetitionStatus.HANDLING)) return refuse('ACCEPTED or HANDLING');
      if (facts.extensionDays !== null) return { refused: `the handling deadline was already extended by ${facts.extensionDays} days; the regulation allows one extension` };
      {
        const due = currentDeadline(facts)!.dueAt;
        if (now > due) return { refused: `the handling deadline passed on ${due.toISOString()}; an extension is decided before it expires` };
      }
      return { to: status };
    case 'reply':
      return from(PetitionStatus.HANDLING) ? { to: PetitionStatus.REPLIED, stamp: 'repliedAt' } : refuse('HANDLING');
    case 'requestReview': {
      if (!from(PetitionStatus.REPLIED)) return refuse('REPLIED');
      const closes = after(facts.repliedAt!, REQUEST_WINDOW_DAYS);
      if (now > closes) return { refused: `the ${REQUEST_WINDOW_DAYS}-day window to request a review closed on ${closes.toISOString()}` };
      return { to: PetitionStatus.REVIEW, stamp: 'reviewRequestedAt' };
    }
    case 'decideReview':
      if (!from(PetitionStatus.REVIEW)) return refuse('REVIEW');
      if (facts.reviewDecidedAt) return { refused: 'the review was already decided; the petitioner may request a re-review' };
      return { to: PetitionStatus.REVIEW, stamp: 'reviewDecidedAt' };
    case 'requestReReview': {
      if (!from(PetitionStatus.REVIEW) || !facts.reviewDecidedAt) return refuse('REVIEW with the review decided');
      const closes = after(facts.reviewDecidedAt, REQUEST_WINDOW_DAYS);
      if (now > closes) return { refused: `the ${REQUEST_WINDOW_DAYS}-day window to request a re-review closed on ${closes.toISOString()}` };
      return { to: PetitionStatus.RE_REVIEW, stamp: 'reReviewRequestedAt' };
    }
    case 'decideReReview':
      return from(PetitionStatus.RE_REVIEW) ? { to: PetitionStatus.CLOSED } : refuse('RE_REVIEW');
    case 'close': {
      if (!from(PetitionStatus.REPLIED) && !(from(PetitionStatus.REVIEW) && facts.reviewDecidedAt)) return refuse('REPLIED, or REVIEW with the review decided');
      // The petitioner's right to ask for a review (or re-review) runs 30 days; closing earlier would take it away.
      const windowEnds = after(status === PetitionStatus.REPLIED ? facts.repliedAt! : facts.reviewDecidedAt!, REQUEST_WINDOW_DAYS);
      if (now <= windowEnds) return { refused: `the petitioner may ask for a ${status === PetitionStatus.REPLIED ? 'review' : 're-review'} until ${windowEnds.toISOString()}; close it after that` };
      return { to: PetitionStatus.CLOSED };
    }
  }
}

function describe(action: PetitionAction): string {
  const words: Record<PetitionAction, string> = {
    assign: 'assign',
    decline: 'decline',
    accept: 'accept',
    startHandling: 'start handling',
    extend: 'extend the deadline of',
    reply: 'reply to',
    requestReview: 'request a review of',
    decideReview: 'decide the review of',
    requestReReview: 'request a re-review of',
    decideReReview: 'decide the re-review of',
    close: 'close',
  };
  return words[action];
}
