import { AGENCY_KIND_NAMES, AgencyKindName } from '../../auth/agencies';
import { countiesOf } from '../../auth/delta-jurisdictions';
import { toGlobalId } from '../../auth/global-id';

/**
 * Where the demo seed puts officers, so that every subgraph's seed can point at them without
 * reading another database: in each region, `perAgency` officers of every agency kind, in the
 * order of the agency catalogue, with local ids 1, 2, 3, … The first officer of each agency
 * works at city level (the region's own code), the others in the region's counties in turn.
 */
export interface DemoOfficer {
  localId: number;
  agency: AgencyKindName;
  jurisdiction: string;
}

export function demoOfficers(region: string, perAgency: number): DemoOfficer[] {
  const counties = countiesOf(region).filter((code) => code !== region);
  return AGENCY_KIND_NAMES.flatMap((agency, agencyIndex) =>
    Array.from({ length: perAgency }, (_, n) => ({
      localId: agencyIndex * perAgency + n + 1,
      agency,
      jurisdiction: n === 0 || counties.length === 0 ? region : counties[(n - 1) % counties.length],
    })),
  );
}

/** Global id of the `n`th (0-based) demo officer of `agency` in `region`. */
export function demoOfficerId(region: string, agency: AgencyKindName, n: number, perAgency: number): string {
  return toGlobalId(region, AGENCY_KIND_NAMES.indexOf(agency) * perAgency + (n % perAgency) + 1);
}

/**
 * Local ids of the demo officers with special duties, who come after every agency's officers
 * (subgraphs/personnel/demo-roster.ts): the auditor, the agreements administrator, and one who
 * has left, and a developer (auth/developer-role.ts). Other seeds name them by these ids (the directory's demo agreements are signed by
 * each party's administrator).
 */
export function demoDutyOfficerIds(perAgency: number): { auditor: number; agreements: number; inactive: number; developer: number } {
  const first = AGENCY_KIND_NAMES.length * perAgency + 1;
  return { auditor: first, agreements: first + 1, inactive: first + 2, developer: first + 3 };
}
