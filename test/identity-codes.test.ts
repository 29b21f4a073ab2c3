import { parseGlobalId, regionOfRoutingValue } from '../auth/global-id';
import { contains, levelOf, owningRegion, significantPrefix } from '../auth/jurisdiction';
import { makeResidentId, residentIdFacts, residentIdProblem } from '../auth/resident-id';
import { creditCodeCheckCharacter, creditCodeProblem, makeCreditCode } from '../subgraphs/enforcement/credit-code';

describe('jurisdiction codes nest by prefix', () => {
  test.each([
    ['330000', '33', 'PROVINCE'],
    ['330400', '3304', 'CITY'],
    ['330421', '330421', 'COUNTY'],
    ['330421001', '330421001', 'STREET'],
  ])('%s', (code, prefix, level) => {
    expect(significantPrefix(code)).toBe(prefix);
    expect(levelOf(code)).toBe(level);
  });

  test('containment and the owning region', () => {
    expect(contains('330000', '330421')).toBe(true);
    expect(contains('330400', '330421')).toBe(true);
    expect(contains('330400', '320509')).toBe(false);
    const regions = ['310000', '320500', '330400', '340100'];
    expect(owningRegion('310118', regions)).toBe('310000');
    expect(owningRegion('330421', regions)).toBe('330400');
    expect(owningRegion('330100', regions)).toBeUndefined();
    expect(() => significantPrefix('3304')).toThrow(/6 or 9 digits/);
  });
});

describe('global ids carry their region', () => {
  test('parse and route', () => {
    expect(parseGlobalId('330400:17')).toEqual({ region: '330400', localId: '17' });
    expect(parseGlobalId('330400:0')).toBeUndefined();
    expect(parseGlobalId('33040:17')).toBeUndefined();
    expect(regionOfRoutingValue('320500')).toBe('320500');
    expect(regionOfRoutingValue('320500:9')).toBe('320500');
    expect(regionOfRoutingValue(320500)).toBeUndefined();
  });
});

describe('resident id numbers (GB 11643)', () => {
  test('a published example checks, and one changed digit does not', () => {
    // The standard's own example number.
    expect(residentIdProblem('11010519491231002X')).toBeUndefined();
    expect(residentIdProblem('11010519491231003X')).toMatch(/GB 11643 check/);
    expect(residentIdProblem('110105194913310021')).toMatch(/impossible birth date/);
    expect(residentIdFacts('11010519491231002X')).toEqual({ areaCode: '110105', birthDate: '1949-12-31', gender: 'FEMALE' });
  });

  test('synthetic demo numbers are check-valid', () => {
    const id = makeResidentId('330421', '1988-02-29', 913);
    expect(residentIdProblem(id)).toBeUndefined();
    expect(residentIdFacts(id)).toEqual({ areaCode: '330421', birthDate: '1988-02-29', gender: 'MALE' });
  });
});

describe('unified social credit codes (GB 32100)', () => {
  test('a published code checks, and a changed character does not', () => {
    expect(creditCodeProblem('91350100M000100Y43')).toBeUndefined();
    expect(creditCodeProblem('91350100M000100Y44')).toMatch(/should be 3/);
    expect(creditCodeProblem('91350100M000100YI3')).toMatch(/except I, O, Z, S, V/);
  });

  test('a code whose first character is no registration authority is refused, even with a right check character', () => {
    const first17 = '01350100M000100Y4';
    const code = first17 + creditCodeCheckCharacter(first17);
    expect(creditCodeProblem(code)).toMatch(/begins with "0", which is no registration authority code of GB 32100/);
    for (const authority of ['1', '5', '9', 'A', 'N', 'Y']) {
      const valid = authority + '1350100M000100Y4';
      expect(creditCodeProblem(valid + creditCodeCheckCharacter(valid))).toBeUndefined();
    }
    const other = 'B1350100M000100Y4';
    expect(creditCodeProblem(other + creditCodeCheckCharacter(other))).toMatch(/begins with "B"/);
  });

  test('synthetic codes are check-valid', () => {
    for (let body = 0; body < 2000; body += 97) expect(creditCodeProblem(makeCreditCode('330421', body))).toBeUndefined();
  });
});
