import { readFileSync } from 'node:fs';
import { RunningGateway, startGateway } from '../../gateway/server';
import type { RunningHub } from '../../launcher/hub';
import { repoPath } from '../../subgraphs/shared/repo-path';
import { signInLike } from './hub';

/**
 * One more gateway over a test hub: its regions as the hub has them, or as a test rewired them
 * (timeouts, endpoints through a proxy, a breaker), the hub's directory, trust in the hub's
 * identity providers; requests to it sign in as for the hub (`graphql`, `tokenFor`).
 */
export async function startGatewayOverHub(hub: RunningHub, regions: RunningHub['regions'] = hub.regions): Promise<RunningGateway> {
  const gateway = await startGateway({
    supergraphSdl: readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8'),
    regions,
    urlOverrides: { directory: `${hub.directoryServer.url}/directory/graphql` },
    port: 0,
    auth: hub.identity.gatewayAuth(),
  });
  signInLike(gateway.graphqlUrl, hub);
  return gateway;
}
