import type { AgencyKindName } from '../../auth/agencies';
import { AGENCY_KIND_NAMES } from '../../auth/agencies';
import { demoDutyOfficerIds, demoOfficers } from '../shared/demo-officers';
import { OfficerRole } from './officer-role';

/**
 * The demo officers of one region and their logins. Ids 1 … 11 × perAgency follow
 * subgraphs/shared/demo-officers.ts (other subgraphs' seeds point at them); the officers with
 * special duties come after them. With region 330400 and perAgency 4:
 *
 *   login                          id   agency / jurisdiction          roles
 *   demo-330400                     1   PETITION_BUREAU 330400 (city)  PETITION_OFFICER, SUPERVISOR
 *   demo-330400-petition-2 … -4     2–4 PETITION_BUREAU, counties      PETITION_OFFICER
 *   demo-330400-<agency>-1          …   each other agency, 330400      ENFORCEMENT_OFFICER, SUPERVISOR
 *   demo-330400-<agency>-2 … -4     …   each other agency, counties    ENFORCEMENT_OFFICER
 *   demo-330400-auditor            45   PETITION_BUREAU 330400         AUDITOR
 *   demo-330400-agreements         46   PETITION_BUREAU 330400         AGREEMENT_ADMIN
 *   demo-330400-inactive           47   PETITION_BUREAU, first county  PETITION_OFFICER, inactive (has left)
 *   demo-330400-developer          48   PETITION_BUREAU 330400         DEVELOPER (builds apps: free-form queries under trusted documents)
 *
 * <agency> is the short name in AGENCY_SLUGS: police, market, ecology, emergency, fire, urban,
 * health, housing, hr, transport. The n in "-n" counts from 1 within the agency; officer 1 of
 * every agency works at city level, the others in the region's counties in turn.
 */
export const AGENCY_SLUGS: Record<AgencyKindName, string> = {
  PETITION_BUREAU: 'petition',
  PUBLIC_SECURITY: 'police',
  MARKET_REGULATION: 'market',
  ECOLOGY_ENVIRONMENT: 'ecology',
  EMERGENCY_MANAGEMENT: 'emergency',
  FIRE_RESCUE: 'fire',
  URBAN_MANAGEMENT: 'urban',
  HEALTH: 'health',
  HOUSING_CONSTRUCTION: 'housing',
  HUMAN_RESOURCES: 'hr',
  TRANSPORT: 'transport',
};

export interface DemoRosterEntry {
  localId: number;
  login: string;
  agency: AgencyKindName;
  jurisdiction: string;
  roles: OfficerRole[];
  active: boolean;
}

export function demoRoster(region: string, perAgency: number): DemoRosterEntry[] {
  const staff = demoOfficers(region, perAgency).map((officer): DemoRosterEntry => {
    const n = officer.localId - AGENCY_KIND_NAMES.indexOf(officer.agency) * perAgency;
    const petition = officer.agency === 'PETITION_BUREAU';
    const roles = [petition ? OfficerRole.PETITION_OFFICER : OfficerRole.ENFORCEMENT_OFFICER, ...(n === 1 ? [OfficerRole.SUPERVISOR] : [])];
    const login = petition && n === 1 ? `demo-${region}` : `demo-${region}-${AGENCY_SLUGS[officer.agency]}-${n}`;
    return { localId: officer.localId, login, agency: officer.agency, jurisdiction: officer.jurisdiction, roles, active: true };
  });
  const duty = demoDutyOfficerIds(perAgency);
  const county = staff.find((officer) => officer.jurisdiction !== region)?.jurisdiction ?? region;
  return [
    ...staff,
    { localId: duty.auditor, login: `demo-${region}-auditor`, agency: 'PETITION_BUREAU', jurisdiction: region, roles: [OfficerRole.AUDITOR], active: true },
    {
      localId: duty.agreements,
      login: `demo-${region}-agreements`,
      agency: 'PETITION_BUREAU',
      jurisdiction: region,
      roles: [OfficerRole.AGREEMENT_ADMIN],
      active: true,
    },
    {
      localId: duty.inactive,
      login: `demo-${region}-inactive`,
      agency: 'PETITION_BUREAU',
      jurisdiction: county,
      roles: [OfficerRole.PETITION_OFFICER],
      active: false,
    },
    {
      localId: duty.developer,
      login: `demo-${region}-developer`,
      agency: 'PETITION_BUREAU',
      jurisdiction: region,
      roles: [OfficerRole.DEVELOPER],
      active: true,
    },
  ];
}
