import { agencyName, type AgencyKindName } from '../../auth/agencies';
import { contains, levelOf } from '../../auth/jurisdiction';
import { hubError } from '../shared/errors';
import { jurisdictionName } from '../shared/jurisdictions';
import { PetitionStatus } from './lifecycle';
import type { PetitionRow } from './petition-repository';

/**
 * Passing a received petition down (交办): the agency of the receiving region a petition was
 * forwarded to hands it on to the competent agency below it, in its own region (属地管理、分级负责:
 * the city's office to one of its counties). Not to another region (forwarding across regions is
 * the registering office's step) and not upwards or sideways: the agency it goes to must lie
 * strictly inside the jurisdiction handling it now.
 */

/** True when `assign` on this petition is a pass-down rather than a first assignment. */
export const isPassDown = (petition: Pick<PetitionRow, 'status' | 'received_at'>) =>
  petition.status === PetitionStatus.ASSIGNED && petition.received_at !== null;

/** Refuses (PASS_DOWN_REFUSED) a pass-down of `petition` to `jurisdiction`, which lies in `targetRegion`, from region `region`. */
export function checkPassDown(id: string, petition: PetitionRow, region: string, targetRegion: string, jurisdiction: string): void {
  const handledIn = petition.handling_jurisdiction ?? petition.registered_in;
  const refuse = (reason: string) =>
    hubError('PASS_DOWN_REFUSED', `petition ${id} is handled by ${handledIn}: ${reason}`, { id, handlingJurisdiction: handledIn, jurisdiction });
  if (targetRegion !== region) {
    throw refuse(
      `a petition received from another region is passed down within region ${region} only; ${jurisdiction} lies in region ${targetRegion} (the registering region forwards across regions, this one does not forward it on)`,
    );
  }
  if (jurisdiction === handledIn || !contains(handledIn, jurisdiction)) {
    // Street codes are not kept here: below a county there is nobody to pass it down to.
    if (levelOf(handledIn) === 'COUNTY')
      throw refuse(
        `a county's agency has no lower agency here to pass it down to (${jurisdiction} is not below it); it accepts or declines the petition itself`,
      );
    throw refuse(`it is passed down to an agency below ${handledIn} (one of its counties), not to ${jurisdiction}, which is not below it`);
  }
}

/** The history's words for a pass-down: "交办吴江区人力资源和社会保障局（320509）：note". */
export function passDownNote(agency: AgencyKindName, jurisdiction: string, note: string | null | undefined): string {
  const to = `交办${agencyName(jurisdictionName(jurisdiction) ?? jurisdiction, agency, jurisdiction)}（${jurisdiction}）`;
  return note ? `${to}：${note}` : to;
}
