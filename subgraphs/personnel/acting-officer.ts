import { parseGlobalId } from '../../auth/global-id';
import { requireActor } from '../shared/actor';
import { hubError } from '../shared/errors';
import type { PersonnelContext } from './context';

/**
 * The officer recorded as having made a change here: the acting officer, who must be an active
 * officer of this region. Records of a region are kept by its own officers (partners read them,
 * and act in their own regions), and this is also what lets `registeredBy` and `taggedBy`
 * resolve from this database. Returns the officer's local id.
 */
export async function actingOfficerId(ctx: PersonnelContext): Promise<string> {
  const actor = requireActor(ctx.actor);
  const localId = parseGlobalId(actor.officerId)!.localId;
  if (actor.region !== ctx.region) {
    throw hubError('FORBIDDEN', `officer ${actor.officerId} belongs to region ${actor.region}; records of region ${ctx.region} are kept by its own officers`, {
      officer: actor.officerId,
    });
  }
  const officer = await ctx.officerById.load(localId);
  if (!officer) throw hubError('UNAUTHENTICATED', `the caller ${actor.officerId} is no officer of region ${ctx.region}`, { officer: actor.officerId });
  if (!officer.active)
    throw hubError('FORBIDDEN', `officer ${actor.officerId} (${officer.login}) is inactive and can no longer make changes`, { officer: actor.officerId });
  return localId;
}
