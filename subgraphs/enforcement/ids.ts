import { parseGlobalId } from '../../auth/global-id';
import { badInput } from '../shared/errors';

/** The local id of a record this region owns, or BAD_USER_INPUT naming `field`. */
export function ownLocalId(region: string, id: string, field = 'id'): string {
  const parts = parseGlobalId(id);
  if (!parts || parts.region !== region) throw badInput(field, `${JSON.stringify(id)} is not a record id of region ${region} (expected "${region}:<number>")`);
  return parts.localId;
}

/** True for a Postgres unique violation: the second of two simultaneous writes of one key. */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
