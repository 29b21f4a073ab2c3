import { agencyLevel, agencyName } from '../auth/agencies';
import { agencyNameIn } from '../subgraphs/enforcement/agency-names';

describe('agency names by level', () => {
  test('a county fire unit is a 大队 and its health body a 卫生健康局; a city keeps 支队 and 卫生健康委员会', () => {
    expect(agencyNameIn('330421', 'FIRE_RESCUE')).toBe('嘉善县消防救援大队');
    expect(agencyNameIn('330421', 'HEALTH')).toBe('嘉善县卫生健康局');
    expect(agencyNameIn('330400', 'FIRE_RESCUE')).toBe('嘉兴市消防救援支队');
    expect(agencyNameIn('330400', 'HEALTH')).toBe('嘉兴市卫生健康委员会');
    expect(agencyNameIn('330421', 'MARKET_REGULATION')).toBe('嘉善县市场监督管理局');
  });

  test('Shanghai is a province-level municipality (总队); its districts rank as cities (支队, 卫生健康委员会)', () => {
    expect(agencyLevel('310000')).toBe('PROVINCE');
    expect(agencyNameIn('310000', 'FIRE_RESCUE')).toBe('上海市消防救援总队');
    expect(agencyNameIn('310118', 'FIRE_RESCUE')).toBe('青浦区消防救援支队');
    expect(agencyNameIn('310118', 'HEALTH')).toBe('青浦区卫生健康委员会');
    expect(agencyLevel('320509')).toBe('COUNTY');
    expect(agencyLevel('330421001')).toBe('COUNTY');
  });

  test('without a code the city name is used', () => {
    expect(agencyName('嘉兴市', 'FIRE_RESCUE')).toBe('嘉兴市消防救援支队');
  });
});
