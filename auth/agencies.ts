/**
 * Government agencies (部门) that take part in petitions and joint inspections. An agency is a
 * kind of department in a jurisdiction: "MARKET_REGULATION of 330400" is 嘉兴市市场监督管理局.
 * One catalogue for every subgraph, so that the GraphQL enum composes identically everywhere.
 */
export const AGENCY_KINDS = {
  PETITION_BUREAU: '信访局',
  PUBLIC_SECURITY: '公安局',
  MARKET_REGULATION: '市场监督管理局',
  ECOLOGY_ENVIRONMENT: '生态环境局',
  EMERGENCY_MANAGEMENT: '应急管理局',
  FIRE_RESCUE: '消防救援支队',
  URBAN_MANAGEMENT: '综合行政执法局',
  HEALTH: '卫生健康委员会',
  HOUSING_CONSTRUCTION: '住房和城乡建设局',
  HUMAN_RESOURCES: '人力资源和社会保障局',
  TRANSPORT: '交通运输局',
} as const;

export type AgencyKindName = keyof typeof AGENCY_KINDS;

export const AGENCY_KIND_NAMES = Object.keys(AGENCY_KINDS) as AgencyKindName[];

/** Agencies that carry out joint inspections (综合查一次); the petition bureau does not inspect. */
export const INSPECTING_AGENCIES: AgencyKindName[] = AGENCY_KIND_NAMES.filter((kind) => kind !== 'PETITION_BUREAU');

/** Province-level municipalities (直辖市): their districts rank as cities do elsewhere. */
const MUNICIPALITIES = ['11', '12', '31', '50'];

export type AgencyLevel = 'PROVINCE' | 'CITY' | 'COUNTY';

/** The level a jurisdiction code names: 310000 a municipality, 330400 a city, 330421 (or a street in it) a county. */
export function agencyLevel(jurisdictionCode: string): AgencyLevel {
  if (jurisdictionCode.length === 6 && jurisdictionCode.endsWith('0000')) return 'PROVINCE';
  if (jurisdictionCode.length === 6 && jurisdictionCode.endsWith('00')) return 'CITY';
  return MUNICIPALITIES.includes(jurisdictionCode.slice(0, 2)) ? 'CITY' : 'COUNTY';
}

/**
 * Names that differ by level (AGENCY_KINDS holds the city's): fire and rescue is a 总队 of a
 * province-level municipality, a 支队 of a city, a 大队 of a county; health is a 卫生健康委员会
 * down to the city (and a municipality's district), a 卫生健康局 in a county.
 */
const NAMES_BY_LEVEL: Partial<Record<AgencyKindName, Partial<Record<AgencyLevel, string>>>> = {
  FIRE_RESCUE: { PROVINCE: '消防救援总队', COUNTY: '消防救援大队' },
  HEALTH: { COUNTY: '卫生健康局' },
};

/** "嘉兴市" + MARKET_REGULATION → "嘉兴市市场监督管理局"; with the code, "嘉善县" + FIRE_RESCUE → "嘉善县消防救援大队". */
export function agencyName(jurisdictionName: string, kind: AgencyKindName, jurisdictionCode?: string): string {
  const levelName = jurisdictionCode ? NAMES_BY_LEVEL[kind]?.[agencyLevel(jurisdictionCode)] : undefined;
  return `${jurisdictionName}${levelName ?? AGENCY_KINDS[kind]}`;
}
