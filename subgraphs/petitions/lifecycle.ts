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
 *   ASSIGNED to another region (转送/交办) ── that region's record ends ──► CLOSED or NOT_ACCEPTED
 *   ASSIGNED, received from another region ── assign (passed down once, 交办) ──► ASSIGNED
 */

import { beijingDateOf, deadlineAfter, lastDayOf, shanghaiDay } from '../shared/beijing-day';

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

/** The ends of the lifecycle: no step follows them. */
export const FINAL_STATUSES: readonly PetitionStatus[] = [PetitionStatus.CLOSED, PetitionStatus.NOT_ACCEPTED];
export const isFinal = (status: PetitionStatus) => FINAL_STATUSES.includes(status);

export type PetitionAction =
  'assign' | 'decline' | 'accept' | 'startHandling' | 'extend' | 'reply' | 'requestReview' | 'decideReview' | 'requestReReview' | 'decideReReview' | 'close';

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
  /** On a petition received from another region (转送/交办): when it arrived; its acceptance clock runs from then. */
  receivedAt?: Date | null;
  /** On a petition forwarded to another region: that region, whose officers accept it on their own clock. */
  forwardedToRegion?: string | null;
  /** On a received petition passed down to a lower agency of this region (交办): when; that agency's acceptance clock runs from then. */
  passedDownAt?: Date | null;
}

export interface Deadline {
  kind: DeadlineKind;
  dueAt: Date;
  /** True when the hub's officers owe the next step (not the petitioner). */
  officersOwe: boolean;
}

// Every deadline and window of the lifecycle, stored or shown, and any rule raising on one,
// comes from deadlineAfter (24:00 Asia/Shanghai of the last day), shared with enforcement.
export { beijingDateOf, DAY_MS, deadlineAfter, lastDayOf } from '../shared/beijing-day';

const after = deadlineAfter;

/** A petition's facts when it is first recorded: nothing has happened to it yet but `status`. */
export function newPetitionFacts(status: PetitionStatus, registeredAt: Date, receivedAt: Date | null = null): LifecycleFacts {
  return {
    status,
    registeredAt,
    receivedAt,
    acceptedAt: null,
    repliedAt: null,
    reviewRequestedAt: null,
    reviewDecidedAt: null,
    reReviewRequestedAt: null,
    extensionDays: null,
  };
}

/** The deadline running in the petition's current state, if any. */
export function currentDeadline(facts: LifecycleFacts): Deadline | null {
  switch (facts.status) {
    case PetitionStatus.REGISTERED:
    case PetitionStatus.ASSIGNED:
      // Forwarded: the receiving region's record carries the clock, from its receipt (信访工作条例: 15 days from receipt);
      // passed down there, from the receipt by the agency it was passed down to, which decides on acceptance.
      if (facts.forwardedToRegion) return null;
      return { kind: DeadlineKind.ACCEPTANCE, dueAt: after(facts.passedDownAt ?? facts.receivedAt ?? facts.registeredAt, ACCEPTANCE_DAYS), officersOwe: true };
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

/**
 * Calendar days (Beijing time) from today to the limit's last day: 0 on the last day itself,
 * -1 from the first moment of the day after, whatever the time of day.
 */
export function daysLeft(dueAt: Date, now: Date): number {
  return shanghaiDay(new Date(dueAt.getTime() - 1)) - shanghaiDay(now);
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
  if (facts.forwardedToRegion && (action === 'accept' || action === 'decline')) {
    return {
      refused: `cannot ${describe(action)} a petition forwarded to region ${facts.forwardedToRegion}: that region's officers accept or decline it, on their own record`,
    };
  }
  switch (action) {
    case 'assign':
      if (from(PetitionStatus.REGISTERED)) return { to: PetitionStatus.ASSIGNED };
      // A petition received from another region may be passed down once, before it is accepted,
      // to the competent lower agency (属地管理、分级负责); which agency may take it is the step's own check.
      if (from(PetitionStatus.ASSIGNED) && facts.receivedAt) {
        return facts.passedDownAt
          ? { refused: `it was already passed down (交办), on ${beijingDateOf(facts.passedDownAt)}: the agency it was passed down to accepts or declines it` }
          : { to: PetitionStatus.ASSIGNED, stamp: 'passedDownAt' };
      }
      return refuse(facts.receivedAt ? 'ASSIGNED, not yet accepted, to be passed down' : 'REGISTERED');
    case 'decline':
      return from(PetitionStatus.REGISTERED, PetitionStatus.ASSIGNED) ? { to: PetitionStatus.NOT_ACCEPTED } : refuse('REGISTERED or ASSIGNED');
    case 'accept':
      return from(PetitionStatus.REGISTERED, PetitionStatus.ASSIGNED) ? { to: PetitionStatus.ACCEPTED, stamp: 'acceptedAt' } : refuse('REGISTERED or ASSIGNED');
    case 'startHandling':
      return from(PetitionStatus.ACCEPTED) ? { to: PetitionStatus.HANDLING } : refuse('ACCEPTED');
    case 'extend':
      if (!from(PetitionStatus.ACCEPTED, PetitionStatus.HANDLING)) return refuse('ACCEPTED or HANDLING');
      if (facts.extensionDays !== null)
        return { refused: `the handling deadline was already extended by ${facts.extensionDays} days; the regulation allows one extension` };
      {
        const due = currentDeadline(facts)!.dueAt;
        if (now >= due) return { refused: `the handling deadline ended with ${lastDayOf(due)} (Beijing time); an extension is decided before it expires` };
      }
      return { to: status };
    case 'reply':
      return from(PetitionStatus.HANDLING) ? { to: PetitionStatus.REPLIED, stamp: 'repliedAt' } : refuse('HANDLING');
    case 'requestReview': {
      if (!from(PetitionStatus.REPLIED)) return refuse('REPLIED');
      const closes = after(facts.repliedAt!, REQUEST_WINDOW_DAYS);
      if (now >= closes) return { refused: `the ${REQUEST_WINDOW_DAYS}-day window to request a review ended with ${lastDayOf(closes)} (Beijing time)` };
      return { to: PetitionStatus.REVIEW, stamp: 'reviewRequestedAt' };
    }
    case 'decideReview':
      if (!from(PetitionStatus.REVIEW)) return refuse('REVIEW');
      if (facts.reviewDecidedAt) return { refused: 'the review was already decided; the petitioner may request a re-review' };
      return { to: PetitionStatus.REVIEW, stamp: 'reviewDecidedAt' };
    case 'requestReReview': {
      if (!from(PetitionStatus.REVIEW) || !facts.reviewDecidedAt) return refuse('REVIEW with the review decided');
      const closes = after(facts.reviewDecidedAt, REQUEST_WINDOW_DAYS);
      if (now >= closes) return { refused: `the ${REQUEST_WINDOW_DAYS}-day window to request a re-review ended with ${lastDayOf(closes)} (Beijing time)` };
      return { to: PetitionStatus.RE_REVIEW, stamp: 'reReviewRequestedAt' };
    }
    case 'decideReReview':
      return from(PetitionStatus.RE_REVIEW) ? { to: PetitionStatus.CLOSED } : refuse('RE_REVIEW');
    case 'close': {
      if (!from(PetitionStatus.REPLIED) && !(from(PetitionStatus.REVIEW) && facts.reviewDecidedAt)) return refuse('REPLIED, or REVIEW with the review decided');
      // The petitioner's right to ask for a review (or re-review) runs 30 days; closing earlier would take it away.
      const windowEnds = after(status === PetitionStatus.REPLIED ? facts.repliedAt! : facts.reviewDecidedAt!, REQUEST_WINDOW_DAYS);
      if (now < windowEnds)
        return {
          refused: `the petitioner may ask for a ${status === PetitionStatus.REPLIED ? 'review' : 're-review'} until the end of ${lastDayOf(windowEnds)} (Beijing time); close it after that`,
        };
      return { to: PetitionStatus.CLOSED };
    }
  }
}

/**
 * Where a petition forwarded to another region goes when that region reports its own record's
 * status. 信访工作条例 has the agency a petition is forwarded to handle it to its end (办结, and
 * any review above that agency), so the registering region's petition ends when, and as, that
 * record ends: CLOSED when it was closed, NOT_ACCEPTED when it was declined; until then it
 * stays ASSIGNED. Null when the report calls for no step here.
 */
export function planForwardedEnd(facts: LifecycleFacts, reported: PetitionStatus): { to: PetitionStatus } | null {
  if (!facts.forwardedToRegion || isFinal(facts.status) || !isFinal(reported)) return null;
  return { to: reported };
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
