import { readFileSync } from 'node:fs';
import { CATALOGUE_FILE, countiesOf, DELTA_CITIES, DELTA_JURISDICTIONS, parseCatalogue } from '../auth/delta-jurisdictions';
import { levelOf, significantPrefix } from '../auth/jurisdiction';

/**
 * The hub's GB/T 2260 catalogue (auth/gbt2260-yrd.tsv): the Delta's 4 provinces, its 41
 * prefecture-level cities and every county-level division of them, so that any of them added to
 * regions.yaml has its jurisdiction tree. Checked against DOMAIN.md's rules: codes nest by
 * prefix (province 2 digits, city 4, county 6), Shanghai's districts sit directly under 310000.
 */

const PROVINCES = ['310000', '320000', '330000', '340000'];
const byCode = new Map(DELTA_JURISDICTIONS.map((j) => [j.code, j]));
const counties = DELTA_JURISDICTIONS.filter((j) => j.parent !== null && !j.code.endsWith('00'));

test('the catalogue states the edition it follows', () => {
  const header = readFileSync(CATALOGUE_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .join('\n');
  expect(header).toMatch(/Edition followed: .*县以上行政区划代码 for 2023/);
});

test('41 cities: Shanghai, 13 in Jiangsu, 11 in Zhejiang, 16 in Anhui, each under its province', () => {
  expect(DELTA_CITIES).toHaveLength(41);
  const perProvince = (province: string) => DELTA_CITIES.filter((c) => c.code.startsWith(province.slice(0, 2))).length;
  expect(PROVINCES.map(perProvince)).toEqual([1, 13, 11, 16]);
  for (const city of DELTA_CITIES.filter((c) => c.code !== '310000')) {
    expect([city.code, levelOf(city.code), byCode.get(city.code)!.parent]).toEqual([city.code, 'CITY', city.code.slice(0, 2) + '0000']);
    expect(city.name).toMatch(/市$/);
  }
  expect(DELTA_JURISDICTIONS.filter((j) => j.parent === null).map((j) => j.code)).toEqual(PROVINCES);
});

test('every city has its county-level divisions, each inside it by code (Shanghai’s 16 districts under 310000)', () => {
  for (const city of DELTA_CITIES) {
    const own = countiesOf(city.code);
    expect([city.code, own.length > 0 && !own.includes(city.code)]).toEqual([city.code, true]);
    for (const code of own) {
      expect([code, levelOf(code), code.startsWith(significantPrefix(city.code)), code.slice(0, 4)]).toEqual([
        code,
        'COUNTY',
        true,
        city.code === '310000' ? '3101' : city.code.slice(0, 4),
      ]);
    }
  }
  expect(countiesOf('310000')).toHaveLength(16);
  // Totals of county-level divisions per province.
  const perProvince = (province: string) => counties.filter((c) => c.code.startsWith(province.slice(0, 2))).length;
  expect(PROVINCES.map(perProvince)).toEqual([16, 95, 90, 104]);
  // Every county's parent is a city of the catalogue.
  const cityCodes = new Set(DELTA_CITIES.map((c) => c.code));
  expect(counties.filter((c) => !cityCodes.has(c.parent!))).toEqual([]);
});

test('no code twice, and no name twice under one parent', () => {
  expect(new Set(DELTA_JURISDICTIONS.map((j) => j.code)).size).toBe(DELTA_JURISDICTIONS.length);
  const names = DELTA_JURISDICTIONS.map((j) => `${j.parent}/${j.name}`);
  expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
});

test('current codes after the recent mergers, and the ones they replaced are gone', () => {
  const name = (code: string) => byCode.get(code)?.name;
  // Hangzhou 2021, Nantong 2020, Wuhu 2020, Tongling 2015/16, Wuxi 2015.
  expect(['330102', '330105', '330113', '330114'].map(name)).toEqual(['上城区', '拱墅区', '临平区', '钱塘区']);
  expect(['320602', '320614', '320685'].map(name)).toEqual(['崇川区', '海门区', '海安市']);
  expect(['340209', '340210', '340212', '340281'].map(name)).toEqual(['弋江区', '湾沚区', '繁昌区', '无为市']);
  expect(['340705', '340706', '340722'].map(name)).toEqual(['铜官区', '义安区', '枞阳县']);
  expect(['320213', '320214'].map(name)).toEqual(['梁溪区', '新吴区']);
  for (const old of ['330103', '330104', '320611', '320684', '340203', '340208', '340221', '340222', '320202', '320584', '310230'])
    expect([old, name(old)]).toEqual([old, undefined]);
  // The demonstration zone's counties keep their note.
  expect(['310118', '320509', '330421'].map((code) => byCode.get(code)!.note)).toEqual([
    expect.stringContaining('示范区'),
    expect.stringContaining('320584'),
    expect.stringContaining('示范区'),
  ]);
});

test('a malformed line is reported with its file and line number', () => {
  expect(() => parseCatalogue('# comment\ncode\tname\tparent\tnote\n3301\t杭州市\t330000\n', 'catalogue.tsv')).toThrow(
    'catalogue.tsv:3: expected a 6-digit code and a name',
  );
  expect(() => parseCatalogue('310000\t上海市\n', 'catalogue.tsv')).toThrow(/first line after the comments must be the header/);
});
