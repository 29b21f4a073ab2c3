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

/** "嘉兴市" + MARKET_REGULATION → "嘉兴市市场监督管理局". */
export function agencyName(jurisdictionName: string, kind: AgencyKindName): string {
  return `${jurisdictionName}${AGENCY_KINDS[kind]}`;
}
