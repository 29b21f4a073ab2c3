import type { Grant } from '../auth/context-token';
import { acknowledgeDutyProblem, agencyDutyProblem, petitionDutyProblem } from '../auth/duties';
import { personAccess } from '../auth/person-policy';

/**
 * The person policy against a table written out by hand, independently of the code: for
 * callers of the same county, same city, same province, another province with agreements
 * and another without, with and without a stated purpose.
 */

const JIAXING_GRANTS: Grant[] = [
  ...['310000', '320500', '340100'].flatMap((owner) => ['PETITION_WARNINGS', 'PERSON_BASIC', 'INSPECTIONS'].map((category) => ({ category, owner }))),
  { category: 'PERSON_PERSONAL', owner: '320500' },
  { category: 'PETITION_DETAILS', owner: '320500' },
];
const SUZHOU_GRANTS: Grant[] = [
  ...['310000', '330400', '340100'].flatMap((owner) => ['PETITION_WARNINGS', 'PERSON_BASIC'].map((category) => ({ category, owner }))),
  { category: 'PERSON_PERSONAL', owner: '330400' },
];
const HEFEI_GRANTS: Grant[] = ['310000', '320500', '330400'].map((owner) => ({ category: 'PERSON_BASIC', owner }));

// caller, home of the record, purpose? → expected [basic, personal, owner]
const TABLE: Array<[string, { jurisdiction: string; grants: Grant[] }, string, boolean, [boolean, string, boolean]]> = [
  ['same county, purpose', { jurisdiction: '330421', grants: JIAXING_GRANTS }, '330421', true, [true, 'FULL', true]],
  ['same county, no purpose', { jurisdiction: '330421', grants: JIAXING_GRANTS }, '330421', false, [true, 'MASKED', true]],
  ['city officer, county record', { jurisdiction: '330400', grants: JIAXING_GRANTS }, '330402', true, [true, 'FULL', true]],
  ['another county of the same city', { jurisdiction: '330421', grants: JIAXING_GRANTS }, '330402', true, [true, 'MASKED', false]],
  ['same province, another city, no agreement', { jurisdiction: '330100', grants: [] }, '330421', true, [false, 'NONE', false]],
  ['another province, personal-data agreement', { jurisdiction: '320500', grants: SUZHOU_GRANTS }, '330421', true, [true, 'FULL', false]],
  ['another province, personal-data agreement, no purpose', { jurisdiction: '320500', grants: SUZHOU_GRANTS }, '330421', false, [true, 'MASKED', false]],
  ['another province, basic agreement only', { jurisdiction: '340100', grants: HEFEI_GRANTS }, '330421', true, [true, 'MASKED', false]],
  ['another province, no agreement', { jurisdiction: '110000', grants: [] }, '330421', true, [false, 'NONE', false]],
  ['a county of a partner city inherits the city’s agreement', { jurisdiction: '320509', grants: SUZHOU_GRANTS }, '330402', true, [true, 'FULL', false]],
];

test.each(TABLE)('%s', (_case, caller, home, purpose, [basic, personal, owner]) => {
  const access = personAccess({ ...caller, purpose: purpose ? 'petition-handling' : null }, home);
  expect({ basic: access.basic, personal: access.personal, owner: access.insider }).toEqual({ basic, personal, owner });
  // The reason says what the caller can do about it: state a purpose, or ask for an agreement.
  if (personal === 'MASKED' && (owner || caller.grants.some((g) => g.category === 'PERSON_PERSONAL' && home.startsWith(g.owner.replace(/0+$/, '')))))
    expect(access.reason).toMatch(/X-Purpose/);
  else if (personal !== 'FULL') expect(access.reason).toMatch(/no sharing agreement opens .* to /);
  else expect(access.reason).toMatch(owner ? /your jurisdiction .* holds the record/ : /a sharing agreement opens the personal data of/);
  // A caller who may not see the record is not told where it belongs.
  if (!basic) expect(access.reason).not.toContain(home);
});

describe('who may make which change (auth/duties.ts)', () => {
  const officer = (jurisdiction: string, roles: string[], agency: string | null = null) => ({ officerId: 'x', jurisdiction, roles, agency });

  const PB = 'PETITION_BUREAU';
  test.each([
    ['a Jiaxing county petition officer, in Jiaxing', officer('330421', ['PETITION_OFFICER'], PB), '330400', undefined, undefined],
    ['a Suzhou petition officer, in Jiaxing', officer('320500', ['PETITION_OFFICER'], PB), '330400', undefined, /kept by its own officers/],
    ['a Jiaxing auditor, in Jiaxing', officer('330400', ['AUDITOR'], PB), '330400', undefined, /needs the role/],
    [
      'a Jiaxing market SUPERVISOR, in Jiaxing',
      officer('330400', ['ENFORCEMENT_OFFICER', 'SUPERVISOR'], 'MARKET_REGULATION'),
      '330400',
      undefined,
      /petition bureau/,
    ],
    ['the city’s petition officer, on a 嘉善 matter', officer('330400', ['PETITION_OFFICER'], PB), '330400', '330421', undefined],
    ['嘉善’s petition officer, on a matter of one of its streets', officer('330421', ['PETITION_OFFICER'], PB), '330400', '330421001', undefined],
    ['南湖区’s petition officer, on a 嘉善 matter', officer('330402', ['PETITION_OFFICER'], PB), '330400', '330421', /lies outside 330402/],
    ['a street’s petition officer, on his county’s own matter', officer('330421001', ['PETITION_OFFICER'], PB), '330400', '330421', /lies outside 330421001/],
  ] as const)('petition work: %s', (_case, caller, region, matter, problem) => {
    const found = petitionDutyProblem(caller, region, matter ? { jurisdiction: matter, what: 'the matter' } : undefined);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  test.each([
    ['a partner’s petition officer', officer('320505', ['PETITION_OFFICER'], PB), undefined],
    ['the warning’s own region’s petition officer', officer('330400', ['PETITION_OFFICER', 'SUPERVISOR'], PB), /partner regions/],
    ['a partner’s market SUPERVISOR', officer('320500', ['ENFORCEMENT_OFFICER', 'SUPERVISOR'], 'MARKET_REGULATION'), /petition bureau/],
  ] as const)('acknowledging a Jiaxing warning: %s', (_case, caller, problem) => {
    const found = acknowledgeDutyProblem(caller, '330400');
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  test.each([
    [
      'the lead agency, in the lead region',
      officer('330400', ['ENFORCEMENT_OFFICER'], 'MARKET_REGULATION'),
      '330400',
      'MARKET_REGULATION',
      undefined,
      undefined,
    ],
    [
      'another agency of the lead region',
      officer('330400', ['ENFORCEMENT_OFFICER'], 'HEALTH'),
      '330400',
      'MARKET_REGULATION',
      /officers of MARKET_REGULATION/,
      undefined,
    ],
    [
      'the same agency of another region',
      officer('310000', ['ENFORCEMENT_OFFICER'], 'MARKET_REGULATION'),
      '330400',
      'MARKET_REGULATION',
      /officers of region 330400/,
      undefined,
    ],
    ['a petition officer', officer('330400', ['PETITION_OFFICER'], 'MARKET_REGULATION'), '330400', 'MARKET_REGULATION', /ENFORCEMENT_OFFICER/, undefined],
    [
      'the city’s officer, for the agency of 嘉善',
      officer('330400', ['ENFORCEMENT_OFFICER'], 'MARKET_REGULATION'),
      '330400',
      'MARKET_REGULATION',
      undefined,
      '330421',
    ],
    [
      '南湖区’s officer, for the agency of 嘉善',
      officer('330402', ['ENFORCEMENT_OFFICER'], 'MARKET_REGULATION'),
      '330400',
      'MARKET_REGULATION',
      /in 330421 or its city/,
      '330421',
    ],
    ['嘉善’s officer, for 嘉善’s agency', officer('330421', ['ENFORCEMENT_OFFICER'], 'MARKET_REGULATION'), '330400', 'MARKET_REGULATION', undefined, '330421'],
    [
      '嘉善’s officer, for the city’s agency',
      officer('330421', ['ENFORCEMENT_OFFICER'], 'MARKET_REGULATION'),
      '330400',
      'MARKET_REGULATION',
      /in 330400 or its city/,
      '330400',
    ],
  ] as const)('inspection work: %s', (_case, caller, region, agency, problem, jurisdiction) => {
    const found = agencyDutyProblem(caller, region, agency, 'this', jurisdiction);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });
});
