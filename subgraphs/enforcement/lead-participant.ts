import type { AgencyKindName } from '../../auth/agencies';
import type { NewParticipant } from './participant-repository';

/**
 * The lead agency's own part of an inspection (牵头部门): it inspects too, with a task kept in
 * the lead region, of the lead jurisdiction and agency and assigned to the lead officer. Opening
 * an inspection adds it (createInspection), and so does the demo seed, from this one rule.
 */
export function leadParticipantOf(
  leadRegion: string,
  inspection: { leadJurisdiction: string; leadAgency: AgencyKindName; leadOfficerId: string | null },
): NewParticipant {
  return { region: leadRegion, jurisdiction: inspection.leadJurisdiction, agency: inspection.leadAgency, officerId: inspection.leadOfficerId };
}
