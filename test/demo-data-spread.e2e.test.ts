import 'reflect-metadata';
import type { RunningHub } from '../launcher/hub';
import { createPool } from '../subgraphs/shared/db';
import { DAY_MS } from '../subgraphs/petitions/lifecycle';
import { DEADLINE_NEAR_DAYS, sweepDeadlines } from '../subgraphs/petitions/warning-rules';
import { reReviewingBodyOf, reviewingBodyOf } from '../subgraphs/petitions/reviewing-body';
import { DEMO_REGIONS, graphql, startTestHub, TEST_SCALE } from './support/hub';

/**
 * The demo data shows the hub's point: the first page of every cross-region list mixes the
 * cities, as real data would. The start-up deadline sweep used to stamp every warning it raised
 * with the moment it ran, so the newest hundreds of warnings all came from the city swept last;
 * each DEADLINE warning is now dated when its deadline passed (ORANGE) or came within 3 days
 * (BLUE). Enough petitions per region that each has dozens of lapsed deadlines to sweep.
 */

let hub: RunningHub;
const url = () => hub.gateway.graphqlUrl;
const JIAXING = { 'X-Officer': '330400:1' }; // holds PETITION_WARNINGS and INSPECTIONS of every demo city

beforeAll(async () => {
  // The background interval starts the sweep with the hub, as `npm start` does.
  hub = await startTestHub('t_spread', { scale: { ...TEST_SCALE, petitions: 600 }, backgroundIntervalMs: 3_600_000 });
  // The same sweep once more, so that every region's start-up pass is surely complete (a second pass raises nothing twice).
  for (const { code } of DEMO_REGIONS) {
    const pool = createPool(hub.databaseUrls.get(code)!, 1);
    try {
      await sweepDeadlines(pool);
    } finally {
      await pool.end();
    }
  }
}, 180_000);

afterAll(async () => {
  await hub?.stop();
});

const regionsOf = (edges: Array<{ node: { region: string } }>) => new Set(edges.map((e) => e.node.region));

test('the swept deadlines are there: each region has DEADLINE warnings raised by the rule', async () => {
  for (const { code } of DEMO_REGIONS) {
    const result = await graphql(
      url(),
      `{ petitionWarnings(first: 100, regions: ["${code}"], filter: { kinds: [DEADLINE] }) { edges { node { automatic } } } }`,
      {},
      JIAXING,
    );
    expect(result.errors).toBeUndefined();
    expect([code, result.data.petitionWarnings.edges.filter((e: any) => e.node.automatic).length > 10]).toEqual([code, true]);
  }
});

test('the first 20 warnings across the four demo regions come from at least 3 of them', async () => {
  const result = await graphql(url(), '{ petitionWarnings(first: 20) { edges { node { id region kind raisedAt } } } }', {}, JIAXING);
  expect(result.errors).toBeUndefined();
  const edges = result.data.petitionWarnings.edges;
  expect(edges).toHaveLength(20);
  expect(regionsOf(edges).size).toBeGreaterThanOrEqual(3);
  // Not one instant for all (the sweep's start-up time, before): the times are spread. A deadline
  // ends at 24:00 Beijing time, one instant per day, so the warnings of the deadlines of one day
  // share it, and just after midnight the newest 20 may all be that day's: a longer page holds several.
  const longer = await graphql(url(), '{ petitionWarnings(first: 100) { edges { node { raisedAt } } } }', {}, JIAXING);
  expect(new Set(longer.data.petitionWarnings.edges.map((e: any) => e.node.raisedAt)).size).toBeGreaterThanOrEqual(3);
});

test('the first 20 petitions and inspections across the regions mix the cities too', async () => {
  const petitions = await graphql(url(), '{ petitions(first: 20) { edges { node { id region } } } }', {}, JIAXING);
  expect(petitions.errors).toBeUndefined();
  expect(regionsOf(petitions.data.petitions.edges).size).toBeGreaterThanOrEqual(3);
  const inspections = await graphql(url(), '{ inspections(first: 20) { edges { node { id region } } } }', {}, { 'X-Officer': '330400:1' });
  expect(inspections.errors).toBeUndefined();
  expect(regionsOf(inspections.data.inspections.edges).size).toBeGreaterThanOrEqual(3);
});

test('a swept DEADLINE warning is raised at its petition’s deadline end (ORANGE), or 3 days before it (BLUE), and its timeline says so', async () => {
  const result = await graphql(
    url(),
    `
      {
        petitionWarnings(first: 100, regions: ["330400"], filter: { kinds: [DEADLINE] }) {
          edges {
            node {
              id
              level
              automatic
              raisedAt
              timeline {
                action
                at
              }
              petition {
                dueAt
                registeredAt
              }
            }
          }
        }
      }
    `,
    {},
    JIAXING,
  );
  expect(result.errors).toBeUndefined();
  const swept = result.data.petitionWarnings.edges.map((e: any) => e.node).filter((w: any) => w.automatic && w.petition);
  const orange = swept.filter((w: any) => w.level === 'ORANGE');
  expect(orange.length).toBeGreaterThan(0);
  for (const warning of orange) {
    expect([warning.id, warning.raisedAt]).toEqual([warning.id, warning.petition.dueAt]);
    expect(Date.parse(warning.raisedAt)).toBeLessThan(Date.now());
  }
  for (const warning of swept.filter((w: any) => w.level === 'BLUE')) {
    const near = Math.max(Date.parse(warning.petition.dueAt) - DEADLINE_NEAR_DAYS * DAY_MS, Date.parse(warning.petition.registeredAt));
    expect([warning.id, Date.parse(warning.raisedAt)]).toEqual([warning.id, near]);
  }
  for (const warning of swept) {
    expect([warning.id, warning.timeline[0]]).toEqual([warning.id, { action: 'RAISED', at: warning.raisedAt }]);
  }
});

test('every seeded petition has a matter, and one past its review request the deciding bodies the steps record', async () => {
  const regionCodes = DEMO_REGIONS.map((r) => r.code);
  for (const { code } of DEMO_REGIONS) {
    const petitions: any[] = [];
    for (let after: string | null = null; ;) {
      const result: any = await graphql(
        url(),
        `query($after: String) { petitions(first: 100, regions: ["${code}"], after: $after) {
           edges { node { id status category registeredIn reviewRequestedAt reReviewRequestedAt reviewingBody reReviewingBody
                          matter { id category handlingJurisdiction closedAt } } }
           pageInfo { hasNextPage endCursor } } }`,
        { after },
        { 'X-Officer': `${code}:1` },
      );
      expect(result.errors).toBeUndefined();
      petitions.push(...result.data.petitions.edges.map((e: any) => e.node));
      if (!result.data.petitions.pageInfo.hasNextPage) break;
      after = result.data.petitions.pageInfo.endCursor;
    }
    expect(petitions).toHaveLength(600);
    expect(petitions.filter((p) => p.matter?.category !== p.category || p.matter?.handlingJurisdiction !== p.registeredIn)).toEqual([]);
    const reviewed = petitions.filter((p) => p.reviewRequestedAt);
    expect(reviewed.length).toBeGreaterThan(0);
    const expected = (p: any) => {
      const reviewingBody = reviewingBodyOf(p.registeredIn, regionCodes) ?? null;
      return { id: p.id, reviewingBody, reReviewingBody: p.reReviewRequestedAt ? (reReviewingBodyOf(reviewingBody, regionCodes) ?? null) : null };
    };
    expect(reviewed.map((p) => ({ id: p.id, reviewingBody: p.reviewingBody, reReviewingBody: p.reReviewingBody }))).toEqual(reviewed.map(expected));
    // A county's review goes to its city: the demo's reviews can be decided in the hub.
    expect(reviewed.filter((p) => p.reviewingBody).length).toBeGreaterThan(0);
    // A re-review decided closes the matter, as decideReReview does.
    const decided = petitions.filter((p) => p.reReviewRequestedAt && p.status === 'CLOSED');
    expect(decided.filter((p) => !p.matter.closedAt)).toEqual([]);
  }
});
