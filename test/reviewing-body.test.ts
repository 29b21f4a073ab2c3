import { reviewingBodyOf } from '../subgraphs/petitions/reviewing-body';

/** Who decides a review: the agency one level above the handling one. */
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
