import { diagnoseResidentId, makeResidentId, residentIdProblem } from '../auth/resident-id';
import { certificateCheckCharacter, certificateNumberProblem, makeCertificateNumber } from '../subgraphs/personnel/certificate-number';
import { demoRoster } from '../subgraphs/personnel/demo-roster';
import { jurisdictionProblem } from '../subgraphs/shared/jurisdictions';
import { normalisePhone } from '../subgraphs/personnel/phone';
import { demoOfficers } from '../subgraphs/shared/demo-officers';

describe('resident id numbers: which part is wrong', () => {
  const good = makeResidentId('330421', '1990-05-17', 924);
  const today = new Date('2026-11-25T00:00:00Z');

  test.each([
    ['17 characters', good.slice(0, 17), 'LENGTH', /18 characters, but has 17/],
    ['a letter inside', `${good.slice(0, 10)}A${good.slice(11)}`, 'CHARACTERS', /17 digits followed by a digit or X/],
    ['a lower-case x (callers upper-case it first)', `${good.slice(0, 17)}x`, 'CHARACTERS', /digit or X/],
    ['an unknown province', makeResidentId('990421', '1990-05-17', 924), 'AREA_CODE', /area code 990421/],
    ['a province code alone', makeResidentId('330000', '1990-05-17', 924), 'AREA_CODE', /area code 330000/],
    ['30 February', makeResidentId('330421', '1990-02-30', 924), 'BIRTH_DATE', /impossible birth date 19900230/],
    ['a birth tomorrow', makeResidentId('330421', '2026-11-26', 924), 'BIRTH_DATE', /in the future/],
    ['a birth before 1900', makeResidentId('330421', '1899-12-31', 924), 'BIRTH_DATE', /before 1900/],
    ['a wrong check character', good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), 'CHECK_CHARACTER', /should be/],
  ])('%s', (_, value, defect, message) => {
    const diagnosis = diagnoseResidentId(value, today);
    expect(diagnosis?.defect).toBe(defect);
    expect(diagnosis?.message).toMatch(message);
  });

  test('valid numbers: the standard example, old area codes, residence permits, Dongguan', () => {
    expect(diagnoseResidentId('11010519491231002X', today)).toBeUndefined();
    expect(diagnoseResidentId(makeResidentId('320584', '1980-01-01', 901), today)).toBeUndefined(); // 吴江市, abolished 2012
    expect(diagnoseResidentId(makeResidentId('810000', '1980-01-01', 901), today)).toBeUndefined(); // Hong Kong residents
    expect(diagnoseResidentId(makeResidentId('441900', '1980-01-01', 901), today)).toBeUndefined(); // 东莞市 has no counties
    expect(diagnoseResidentId(makeResidentId('810101', '1980-01-01', 901), today)?.defect).toBe('AREA_CODE');
    expect(residentIdProblem(good)).toBeUndefined();
  });
});

describe('phone numbers', () => {
  test.each([
    ['13812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['0573-82345678', '0573-82345678'],
    ['(0573) 8234567', '0573-8234567'],
    ['010 62345678', '010-62345678'],
  ])('%s is stored as %s', (input, stored) => {
    expect(normalisePhone(input)).toEqual({ phone: stored });
  });

  test.each(['1381234567', '12812345678', '0573-1234567', '021-2345678', '021-12345678', '12345', '0573-82345678-801', ''])('%j is refused', (input) => {
    expect(normalisePhone(input)).toEqual({ problem: expect.any(String) });
  });
});

describe('enforcement certificate numbers (执法证号)', () => {
  const officer = { agency: 'MARKET_REGULATION' as const, jurisdiction: '330421' };

  test('the check character is ISO 7064 MOD 11-2, as in resident id numbers', () => {
    // Same scheme, same weights for 17 digits: the standard's example id number checks to X.
    expect(certificateCheckCharacter('11010519491231002')).toBe('X');
    expect(makeCertificateNumber('330400', 'MARKET_REGULATION', 17)).toBe('ZF33040003000174');
  });

  test("issued by the officer's jurisdiction or one containing it, for the officer's agency", () => {
    expect(certificateNumberProblem(makeCertificateNumber('330400', 'MARKET_REGULATION', 5), officer)).toBeUndefined();
    expect(certificateNumberProblem(makeCertificateNumber('330421', 'MARKET_REGULATION', 5), officer)).toBeUndefined();
    expect(certificateNumberProblem(makeCertificateNumber('330000', 'MARKET_REGULATION', 5), officer)).toBeUndefined();
    expect(certificateNumberProblem(makeCertificateNumber('320500', 'MARKET_REGULATION', 5), officer)).toMatch(/issued by 320500/);
    expect(certificateNumberProblem(makeCertificateNumber('330400', 'HEALTH', 5), officer)).toMatch(/agency code 08/);
    expect(certificateNumberProblem(makeCertificateNumber('330400', 'MARKET_REGULATION', 0), officer)).toMatch(/serial/);
    const valid = makeCertificateNumber('330400', 'MARKET_REGULATION', 5);
    expect(certificateNumberProblem(valid.slice(0, 15) + (valid[15] === '0' ? '1' : '0'), officer)).toMatch(/fails its check/);
    expect(certificateNumberProblem('浙A12345', officer)).toMatch(/must be ZF/);
  });
});

describe('jurisdictions of a region', () => {
  test('homes are counties or streets inside the region; officers may also work at city level', () => {
    expect(jurisdictionProblem('330400', '330421', { cityLevel: false })).toBeUndefined();
    expect(jurisdictionProblem('330400', '330421001', { cityLevel: false })).toBeUndefined();
    expect(jurisdictionProblem('310000', '310118', { cityLevel: false })).toBeUndefined();
    expect(jurisdictionProblem('330400', '330400', { cityLevel: true })).toBeUndefined();
    expect(jurisdictionProblem('330400', '330400', { cityLevel: false })).toMatch(/not the city itself/);
    expect(jurisdictionProblem('330400', '320509', { cityLevel: false })).toMatch(/not inside region 330400/);
    expect(jurisdictionProblem('330400', '330499', { cityLevel: false })).toMatch(/not a county of 嘉兴市/);
    expect(jurisdictionProblem('330400', '3304', { cityLevel: false })).toMatch(/6 digits/);
    // Every Delta city has its counties in the catalogue: Hangzhou's current ones, not the codes merged away in 2021.
    expect(jurisdictionProblem('330100', '330106', { cityLevel: false })).toBeUndefined();
    expect(jurisdictionProblem('330100', '330103', { cityLevel: false })).toMatch(
      /330103 is not a county of 杭州市; its counties are 330102 上城区, 330105 拱墅区/,
    );
    // A region outside the catalogue accepts any county code inside it.
    expect(jurisdictionProblem('110000', '110105', { cityLevel: false })).toBeUndefined();
  });
});

describe('the demo roster', () => {
  test('follows the shared demo officer layout, with unique logins and the special duties after it', () => {
    const roster = demoRoster('330400', 4);
    const layout = demoOfficers('330400', 4);
    expect(roster.slice(0, layout.length).map(({ localId, agency, jurisdiction }) => ({ localId, agency, jurisdiction }))).toEqual(layout);
    expect(new Set(roster.map((o) => o.login)).size).toBe(roster.length);
    expect(roster.map((o) => o.localId)).toEqual(roster.map((_, i) => i + 1));
    expect(roster[0]).toMatchObject({ login: 'demo-330400', agency: 'PETITION_BUREAU', jurisdiction: '330400' });
    expect(roster.find((o) => o.login === 'demo-330400-market-2')).toMatchObject({ agency: 'MARKET_REGULATION', jurisdiction: '330402' });
    expect(roster.slice(-4).map((o) => [o.login, o.roles, o.active])).toEqual([
      ['demo-330400-auditor', ['AUDITOR'], true],
      ['demo-330400-agreements', ['AGREEMENT_ADMIN'], true],
      ['demo-330400-inactive', ['PETITION_OFFICER'], false],
      ['demo-330400-developer', ['DEVELOPER'], true],
    ]);
    expect(roster.every((o) => o.login.startsWith('demo-330400'))).toBe(true);
  });
});
