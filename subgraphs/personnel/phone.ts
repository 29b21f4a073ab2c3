/**
 * Telephone numbers of mainland China, as people write them, normalised to one stored form so
 * that masking (138****5678) and search see the same text every time:
 *
 * - mobile: 11 digits starting 13–19, with an optional +86 / 86 prefix → "13812345678";
 * - landline: trunk prefix 0 and an area code (010 and 02x have 3 digits, all others 4), then a
 *   subscriber number of 7 or 8 digits that starts 2–9 → "0573-82345678". Brackets, spaces and
 *   hyphens between the parts are accepted; an extension is not.
 */

export type PhoneCheck = { phone: string } | { problem: string };

const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;
const LANDLINE = /^\(?(0(?:10|2\d|[3-9]\d{2}))\)?([2-9]\d{6,7})$/;

export function normalisePhone(input: string): PhoneCheck {
  const compact = input.replace(/[\s-]/g, '');
  const mobile = MOBILE.exec(compact);
  if (mobile) return { phone: mobile[1] };
  const landline = LANDLINE.exec(compact);
  if (landline) {
    const [, area, subscriber] = landline;
    // Three-digit area codes belong to the largest cities, whose numbers all have 8 digits.
    if (area.length === 3 && subscriber.length !== 8) return { problem: `a number after area code ${area} has 8 digits, but got ${subscriber.length}` };
    return { phone: `${area}-${subscriber}` };
  }
  return {
    problem: `must be a mainland mobile number (11 digits starting 13–19, such as 13812345678) or a landline with its area code (such as 0573-82345678), but got ${JSON.stringify(input)}`,
  };
}
