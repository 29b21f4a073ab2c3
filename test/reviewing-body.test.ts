import { reReviewingBodyOf, reviewingBodyOf } from '../subgraphs/petitions/reviewing-body';

/** Who decides a review: the agency one level above the handling one; a re-review: one level above that. */
const REGIONS = ['310000', '320500', '330400', '340100'];

test('a county’s matter goes to its city; Shanghai’s districts to Shanghai', () => {
  expect(reviewingBodyOf('330421', REGIONS, [])).toBe('330400');
  expect(reviewingBodyOf('320509', REGIONS, [])).toBe('320500');
  expect(reviewingBodyOf('310118', REGIONS, [])).toBe('310000');
});

test('a city’s own matter goes to its province only where the hub has one configured', () => {
  expect(reviewingBodyOf('330400', REGIONS, [])).toBeUndefined();
  expect(reviewingBodyOf('330400', REGIONS, ['330000'])).toBe('330000');
  expect(reviewingBodyOf('320500', REGIONS, ['330000'])).toBeUndefined();
});

test('a re-review goes one level above the review: a county’s to its province where configured; above a province (or Shanghai) outside the hub', () => {
  expect(reReviewingBodyOf('330400', REGIONS, ['330000'])).toBe('330000');
  expect(reReviewingBodyOf('330400', REGIONS, [])).toBeUndefined();
  expect(reReviewingBodyOf('320500', REGIONS, ['330000'])).toBeUndefined();
  expect(reReviewingBodyOf('330000', REGIONS, ['330000'])).toBeUndefined();
  expect(reReviewingBodyOf('310000', REGIONS, ['310000'])).toBeUndefined();
  expect(reReviewingBodyOf(null, REGIONS, ['330000'])).toBeUndefined();
});
