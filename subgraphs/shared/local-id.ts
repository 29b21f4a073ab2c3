import { parseGlobalId } from '../../auth/global-id';
import { badInput } from './errors';

/**
 * Global ids ("330400:17") to this database's own ids. An argument naming another region's
 * record is the caller's mistake (the gateway routes by the prefix, so it can only come from a
 * direct call); an entity reference to one is answered with null, as federation expects.
 */

/** The local id named by argument `field`, or a BAD_USER_INPUT saying what was expected. */
export function ownLocalId(region: string, id: string, field = 'id', kind = 'record'): string {
  const parts = parseGlobalId(id);
  if (!parts) throw badInput(field, `must be a global ${kind} id such as "${region}:17", but got ${JSON.stringify(id)}`);
  if (parts.region !== region) throw badInput(field, `${id} belongs to region ${parts.region}; this instance serves ${region}`);
  return parts.localId;
}

/** The local id of an entity reference, or null when another region owns it. */
export function localIdIfOwn(region: string, id: string): string | null {
  const parts = parseGlobalId(id);
  return parts && parts.region === region ? parts.localId : null;
}
