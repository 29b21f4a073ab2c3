/**
 * The jurisdictions of the Yangtze River Delta the hub knows (GB/T 2260): the four provinces,
 * all 41 prefecture-level cities, and the counties and districts of the demo cities.
 * Shanghai's districts sit directly under 310000.
 */
export interface JurisdictionRecord {
  code: string;
  name: string;
  parent: string | null;
  note?: string;
}

const provinces: JurisdictionRecord[] = [
  { code: '310000', name: '上海市', parent: null },
  { code: '320000', name: '江苏省', parent: null },
  { code: '330000', name: '浙江省', parent: null },
  { code: '340000', name: '安徽省', parent: null },
];

const cities: Array<[string, string]> = [
  ['320100', '南京市'], ['320200', '无锡市'], ['320300', '徐州市'], ['320400', '常州市'], ['320500', '苏州市'],
  ['320600', '南通市'], ['320700', '连云港市'], ['320800', '淮安市'], ['320900', '盐城市'], ['321000', '扬州市'],
  ['321100', '镇江市'], ['321200', '泰州市'], ['321300', '宿迁市'],
  ['330100', '杭州市'], ['330200', '宁波市'], ['330300', '温州市'], ['330400', '嘉兴市'], ['330500', '湖州市'],
  ['330600', '绍兴市'], ['330700', '金华市'], ['330800', '衢州市'], ['330900', '舟山市'], ['331000', '台州市'],
  ['331100', '丽水市'],
  ['340100', '合肥市'], ['340200', '芜湖市'], ['340300', '蚌埠市'], ['340400', '淮南市'], ['340500', '马鞍山市'],
  ['340600', '淮北市'], ['340700', '铜陵市'], ['340800', '安庆市'], ['341000', '黄山市'], ['341100', '滁州市'],
  ['341200', '阜阳市'], ['341300', '宿州市'], ['341500', '六安市'], ['341600', '亳州市'], ['341700', '池州市'],
  ['341800', '宣城市'],
];

const counties: Array<[string, string, string, string?]> = [
  ['310101', '黄浦区', '310000'], ['310104', '徐汇区', '310000'], ['310105', '长宁区', '310000'],
  ['310106', '静安区', '310000'], ['310107', '普陀区', '310000'], ['310109', '虹口区', '310000'],
  ['310110', '杨浦区', '310000'], ['310112', '闵行区', '310000'], ['310113', '宝山区', '310000'],
  ['310114', '嘉定区', '310000'], ['310115', '浦东新区', '310000'], ['310116', '金山区', '310000'],
  ['310117', '松江区', '310000'], ['310118', '青浦区', '310000', '长三角生态绿色一体化发展示范区'],
  ['310120', '奉贤区', '310000'], ['310151', '崇明区', '310000'],
  ['320505', '虎丘区', '320500'], ['320506', '吴中区', '320500'], ['320507', '相城区', '320500'],
  ['320508', '姑苏区', '320500'],
  ['320509', '吴江区', '320500', '长三角生态绿色一体化发展示范区; was 320584 吴江市 before 2012, old ID numbers still start 320584'],
  ['320581', '常熟市', '320500'], ['320582', '张家港市', '320500'], ['320583', '昆山市', '320500'],
  ['320585', '太仓市', '320500'],
  ['330402', '南湖区', '330400'], ['330411', '秀洲区', '330400'],
  ['330421', '嘉善县', '330400', '长三角生态绿色一体化发展示范区'], ['330424', '海盐县', '330400'],
  ['330481', '海宁市', '330400'], ['330482', '平湖市', '330400'], ['330483', '桐乡市', '330400'],
  ['340102', '瑶海区', '340100'], ['340103', '庐阳区', '340100'], ['340104', '蜀山区', '340100'],
  ['340111', '包河区', '340100'], ['340121', '长丰县', '340100'], ['340122', '肥东县', '340100'],
  ['340123', '肥西县', '340100'], ['340124', '庐江县', '340100'], ['340181', '巢湖市', '340100'],
];

export const DELTA_JURISDICTIONS: readonly JurisdictionRecord[] = [
  ...provinces,
  ...cities.map(([code, name]) => ({ code, name, parent: code.slice(0, 2) + '0000' })),
  ...counties.map(([code, name, parent, note]) => ({ code, name, parent, note })),
];

/** The 41 prefecture-level cities (Shanghai counts as one). */
export const DELTA_CITIES: ReadonlyArray<{ code: string; name: string }> = [
  { code: '310000', name: '上海市' },
  ...cities.map(([code, name]) => ({ code, name })),
];

/** County-level codes under a region, for demo data; the region's own code when none is known. */
export function countiesOf(regionCode: string): string[] {
  const found = counties.filter(([, , parent]) => parent === regionCode).map(([code]) => code);
  return found.length ? found : [regionCode];
}

