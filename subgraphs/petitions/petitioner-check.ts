import type { HubLink } from '../shared/hub-link';
import { badInput } from '../shared/errors';

/**
 * Before a petition or warning names persons, ask their home regions (through the hub) whether
 * they exist. Only a definite "no such person" refuses the registration: when a home region
 * cannot be reached, an officer at the reception desk must still be able to register the
 * visit, and the reference resolves once the region is back.
 */
export async function checkPersonsExist(hub: HubLink, personIds: readonly string[], fieldOf: (index: number) => string): Promise<void> {
  if (!hub.url || personIds.length === 0) return;
  const query = `query PetitionerCheck(${personIds.map((_, i) => `$p${i}: ID!`).join(', ')}) {
    ${personIds.map((_, i) => `p${i}: person(id: $p${i}) { id }`).join('\n    ')}
  }`;
  const variables = Object.fromEntries(personIds.map((id, i) => [`p${i}`, id]));
  let answer: Awaited<ReturnType<HubLink['execute']>>;
  try {
    answer = await hub.execute(query, variables, {}, 5_000);
  } catch {
    return; // the hub itself is unreachable: same as a region being down
  }
  for (const error of answer.errors ?? []) {
    const path = (error as { path?: unknown[] }).path;
    const index = typeof path?.[0] === 'string' && /^p\d+$/.test(path[0]) ? Number(path[0].slice(1)) : -1;
    if (index < 0) continue;
    if (error.extensions?.code === 'NOT_FOUND') {
      throw badInput(fieldOf(index), `no person ${personIds[index]} exists in that region's records`);
    }
    if (error.extensions?.code === 'UNKNOWN_REGION') {
      throw badInput(fieldOf(index), `${personIds[index]} names a region this hub does not serve`);
    }
  }
}
