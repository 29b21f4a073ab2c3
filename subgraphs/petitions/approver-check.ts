import { contains } from '../../auth/jurisdiction';
import { badInput, hubError } from '../shared/errors';
import type { HubLink } from '../shared/hub-link';
import type { PetitionRow } from './petition-repository';

/** The agency whose SUPERVISOR approves an extension: the handling agency, the petition bureau where the petition was registered while none is assigned. */
export function approvingAgencyOf(petition: Pick<PetitionRow, 'handling_agency' | 'handling_jurisdiction' | 'registered_in'>) {
  return { agency: petition.handling_agency ?? 'PETITION_BUREAU', jurisdiction: petition.handling_jurisdiction ?? petition.registered_in };
}

/**
 * An extension of the handling limit needs the approval of a responsible person of the handling
 * agency (本机关负责人批准): an active officer holding SUPERVISOR of that agency, whose
 * jurisdiction holds the agency's. The roster lives in the personnel subgraph, asked through the
 * hub (so never while the petition is locked: petition-mutations.ts asks first); without an
 * answer nothing is approved.
 */
export async function checkExtensionApprover(hub: HubLink, approverId: string, agency: string, jurisdiction: string): Promise<void> {
  const answer = await hub
    .execute<{ officer: { active: boolean; agency: string; jurisdiction: string; roles: string[] } | null }>(
      'query ExtensionApprover($id: ID!) { officer(id: $id) { active agency jurisdiction roles } }',
      { id: approverId },
      {},
      5_000,
    )
    .catch(() => undefined);
  const error = answer?.errors?.[0];
  if (error?.extensions?.code === 'NOT_FOUND' || (answer && !error && !answer.data?.officer)) throw badInput('approverId', `no officer ${approverId}`);
  const officer = answer?.data?.officer;
  if (!officer)
    throw hubError('REGION_UNAVAILABLE', `the roster holding ${approverId} could not be read, so the approval cannot be checked; try again shortly`);
  const problem = !officer.active
    ? 'has left'
    : !officer.roles.includes('SUPERVISOR')
      ? 'does not hold SUPERVISOR'
      : officer.agency !== agency
        ? `is of ${officer.agency}, not the handling agency ${agency}`
        : !contains(officer.jurisdiction, jurisdiction)
          ? `works in ${officer.jurisdiction}, not over the handling agency's ${jurisdiction}`
          : undefined;
  if (problem)
    throw badInput('approverId', `an extension is approved by a SUPERVISOR of the handling agency (${agency} of ${jurisdiction}); ${approverId} ${problem}`);
}
