import { parseGlobalId } from '../../auth/global-id';
import { badInput } from '../shared/errors';
import type { RegionContext } from '../shared/context';

/**
 * Global ids ("330400:17") to this database's own ids. An argument naming another region's
 * record is the caller's mistake (the gateway routes by the prefix, so it can only come from a
 * direct call); a reference to one is answered with null, as federation expects.
 */

/** The local id named by argument `field`, or a BAD_USER_INPUT saying what was expected. */
export function ownLocalId(ctx: RegionContext, id: string, field = 'id', kind = 'person'): string {
  const parts = parseGlobalId(id);
  if (!parts) throw badInput(field, `must be a global ${kind} id such as "${ctx.region}:17", but got ${JSON.stringify(id)}`);
  if (parts.region !== ctx.region) throw badInput(field, `${id} belongs to region ${parts.region}; this instance serves ${ctx.region}`);
  return parts.localId;
}

/** The local id of an entity reference, or null when another region owns it. */
export function localIdIfOwn(ctx: RegionContext, id: string): string | null {
  const parts = parseGlobalId(id);
  return parts && parts.region === ctx.region ? parts.localId : null;
}
