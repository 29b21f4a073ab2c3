import type { RunningHub } from '../launcher/hub';
import { graphql, rosterOfficer, startTestHub } from './support/hub';

/**
 * No N+1: the SQL statements a request costs, counted at every subgraph's pool, are the same
 * for a page of 1 and a page of 50, with every link followed (subjects in another region,
 * petitions, petitioners, officers, histories, timelines, a person's records in every region).
 * The queries are shaped so that both page sizes reach the same regions: how many regions a
 * request touches depends on where the data lives (at most every region), while the
 * statements each region runs must not depend on how many rows it returns.
 */

let hub: RunningHub;
const JIAXING = { 'X-Officer': '330400:1' };

beforeAll(async () => {
  hub = await startTestHub('t_statements', { regionThreads: 2 });
  // Fifty cross-region warnings in Jiaxing about Suzhou residents, each acknowledged by a
  // Suzhou officer: every link of every row leads somewhere, whatever the page size.
  for (let person = 1; person <= 50; person += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const registered = await graphql(
          hub.gateway.graphqlUrl,
          `
            mutation ($input: RegisterPetitionInput!) {
              registerPetition(input: $input) {
                warnings {
                  id
                }
              }
            }
          `,
          {
            input: {
              region: '330400',
              channel: 'VISIT',
              category: '测试',
              summary: '测试',
              content: '测试',
              registeredIn: '330421',
              petitionerIds: [`320500:${person + i}`],
            },
          },
          JIAXING,
        );
        const warning = registered.data.registerPetition.warnings[0].id;
        await graphql(
          hub.gateway.graphqlUrl,
          `
            mutation ($id: ID!) {
              acknowledgePetitionWarning(id: $id) {
                id
              }
            }
          `,
          { id: warning },
          { 'X-Officer': `320500:${1 + (i % 2)}` },
        );
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

async function statementsFor(query: string, first: number): Promise<{ statements: number; data: any }> {
  // As a city-level petition officer of Jiaxing, whose jurisdiction holds every record these
  // queries reach; each measurement by one new to the gateway, so that each pays exactly the
  // one roster lookup of an officer's first request (later ones within seconds pay none).
  const asker = await rosterOfficer(hub, { region: '330400', jurisdiction: '330400', agency: 'PETITION_BUREAU', roles: ['PETITION_OFFICER'] });
  const before = hub.statementCount('regions');
  const result = await graphql(hub.gateway.graphqlUrl, query, { first }, { authorization: `Bearer ${asker.token}`, 'X-Purpose': 'petition-handling' });
  expect(result.errors).toBeUndefined();
  return { statements: hub.statementCount('regions') - before, data: result.data };
}

test('cross-region warnings with subjects, petitions, petitioners, officers and timelines', async () => {
  const query = `query($first: Int) {
    petitionWarnings(first: $first, regions: ["330400"], filter: { kinds: [CROSS_REGION], subjectRegion: "320500" }) {
      edges { node {
        id
        subject { name idNumber petitions(first: 3) { edges { node { id registeredAt } } } }
        petition { id petitioners { name } registeredBy { name agencyName } history { action officer { name } } warnings { id } }
        timeline { action officer { name agencyName } }
      } }
    }
  }`;
  const one = await statementsFor(query, 1);
  const fifty = await statementsFor(query, 50);
  expect(one.data.petitionWarnings.edges).toHaveLength(1);
  expect(fifty.data.petitionWarnings.edges).toHaveLength(50);
  const nodes = fifty.data.petitionWarnings.edges.map((e: any) => e.node);
  expect(nodes.every((n: any) => n.subject?.name && n.petition?.registeredBy?.name && n.timeline.some((t: any) => t.officer?.name))).toBe(true);
  expect(one.statements).toBeGreaterThan(0); // a counter that counts nothing would make 0 = 0
  expect(fifty.statements).toBe(one.statements);
});

test('petitions with petitioners, officers, histories and warnings', async () => {
  const query = `query($first: Int) {
    petitions(first: $first, regions: ["330400"]) {
      edges { node { id petitioners { name homeJurisdiction } registeredBy { name } history { action officer { name } } warnings { id timeline { action } } deadline { dueAt } } }
    }
  }`;
  const one = await statementsFor(query, 1);
  const fifty = await statementsFor(query, 50);
  expect(fifty.data.petitions.edges).toHaveLength(50);
  expect(one.statements).toBeGreaterThan(0);
  expect(fifty.statements).toBe(one.statements);
});
