import { levelOf, owningRegion, provinceOf } from '../../auth/jurisdiction';
import { hubError } from '../shared/errors';

/**
 * Who decides a review (复查) and re-review (复核), each one level higher (上一级机关,
 * 信访工作条例): the review by the agency above the one that handled the petition, the re-review
 * by the agency above the one that decided the review. A county's matter goes to its city; a
 * city's to its province, where the hub has one: `HUB_PROVINCE_REVIEW_BODIES` names the provinces
 * whose petition officers the hub serves ("330000,320000"); elsewhere, and above a province (the
 * hub has no national level), there is no deciding body here, and the decision is made outside
 * the hub.
 */
export function reviewingBodyOf(handledIn: string, regionCodes: readonly string[], provinces = configuredProvinces()): string | undefined {
  const level = levelOf(handledIn);
  if (level === 'COUNTY' || level === 'STREET') {
    const city = owningRegion(handledIn, regionCodes);
    return city && city !== handledIn ? city : undefined;
  }
  if (level === 'CITY') {
    const province = provinceOf(handledIn);
    return provinces.includes(province) ? province : undefined;
  }
  return undefined;
}

/** The re-review's body: the one above the review's (none when the review's is none or outside the hub). */
export function reReviewingBodyOf(reviewingBody: string | null, regionCodes: readonly string[], provinces = configuredProvinces()): string | undefined {
  return reviewingBody ? reviewingBodyOf(reviewingBody, regionCodes, provinces) : undefined;
}

function configuredProvinces(): string[] {
  return (process.env.HUB_PROVINCE_REVIEW_BODIES ?? '')
    .split(',')
    .map((code) => code.trim())
    .filter((code) => /^\d{2}0000$/.test(code));
}

/** The two decisions, and the petition's column recording each one's body. */
export const DECIDING_BODY = { decideReview: 'reviewing_body', decideReReview: 're_reviewing_body' } as const;
export type ReviewDecision = keyof typeof DECIDING_BODY;

export const isReviewDecision = (action: string): action is ReviewDecision => action in DECIDING_BODY;

/**
 * Only the deciding body's own petition officers decide (Jiaxing's city officers a 嘉善 matter's
 * review, not 嘉善's, though they handled it; the province its re-review, not the city): FORBIDDEN
 * for anyone else, and for everyone when the body is outside the hub.
 */
export function checkDecidingBody(
  id: string,
  decision: ReviewDecision,
  petition: Record<(typeof DECIDING_BODY)[ReviewDecision], string | null>,
  actor: { officerId: string; jurisdiction: string },
): void {
  const review = decision === 'decideReview';
  const body = petition[DECIDING_BODY[decision]];
  const what = review ? 'review' : 're-review';
  if (!body) {
    throw hubError(
      'FORBIDDEN',
      `petition ${id} has no ${review ? 'reviewing' : 're-reviewing'} body in the hub (the agency above its ${review ? 'handling agency' : 'reviewing body'} is not served here; see HUB_PROVINCE_REVIEW_BODIES): its ${what} is decided outside the hub`,
      { officer: actor.officerId },
    );
  }
  if (actor.jurisdiction !== body) {
    throw hubError(
      'FORBIDDEN',
      review
        ? `petition ${id} is reviewed by the agency above its handling agency (上一级机关), of ${body}; ${actor.officerId} works in ${actor.jurisdiction}`
        : `petition ${id} is re-reviewed by the agency above its reviewing body ${petition.reviewing_body} (上一级机关), of ${body}; ${actor.officerId} works in ${actor.jurisdiction}`,
      { officer: actor.officerId, [review ? 'reviewingBody' : 'reReviewingBody']: body },
    );
  }
}
