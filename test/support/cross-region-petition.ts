import { graphql } from './hub';

/**
 * A Jiaxing officer registers a petition of the Suzhou resident 320500:7 through the gateway at
 * `gatewayUrl`; returns the CROSS_REGION warning it raised. Each call is a matter of its own (another
 * category), since that warning is raised once per matter.
 */
let matters = 0;
export async function registerForSuzhouResident(gatewayUrl: string, headers: Record<string, string> = { 'X-Officer': '330400:1' }): Promise<string> {
  const result = await graphql(
    gatewayUrl,
    `
      mutation ($input: RegisterPetitionInput!) {
        registerPetition(input: $input) {
          id
          warnings {
            id
            kind
          }
        }
      }
    `,
    {
      input: {
        region: '330400',
        channel: 'VISIT',
        category: `劳资纠纷欠薪${(matters += 1)}`,
        summary: '欠薪',
        content: '某公司拖欠工资三个月',
        registeredIn: '330421',
        petitionerIds: ['320500:7'],
      },
    },
    headers,
  );
  if (result.errors) throw new Error(`registerPetition: ${JSON.stringify(result.errors)}`);
  const warning = result.data.registerPetition.warnings.find((w: { kind: string }) => w.kind === 'CROSS_REGION');
  if (!warning) throw new Error('registerPetition raised no CROSS_REGION warning');
  return warning.id;
}
