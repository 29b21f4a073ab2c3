import { Pool } from 'pg';
import type { RunningHub } from '../launcher/hub';
import type { Actor } from '../subgraphs/shared/actor';
import { appendAudit } from '../subgraphs/shared/audit-log';
import { inTransaction } from '../subgraphs/shared/db';
import { runCli } from './support/cli';
import { DEMO_REGIONS, graphql, queryDatabase, startTestHub, TEST_SCALE, writeRegionsFile } from './support/hub';

/**
 * Every unmasked read of personal data and every change is written to the owning region's
 * hash-chained audit log; auditors and the person's home jurisdiction can list who read a
 * person; a row edited, deleted or inserted by SQL is found and located.
 */

let hub: RunningHub;
let regionsFile: string;
const JIAXING = (sql: string, params: unknown[] = []) => queryDatabase(hub.databaseUrls.get('330400')!, sql, params);
const READ = 'query($id: ID!) { person(id: $id) { name idNumber gender } }';

beforeAll(async () => {
  regionsFile = writeRegionsFile(DEMO_REGIONS);
  hub = await startTestHub('t_audit', { regionsFile });
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

const verify = async () =>
  (
    await graphql(
      hub.gateway.graphqlUrl,
      'query { auditVerification(region: "330400") { intact rows firstBadSeq reason } }',
      {},
      { 'X-Officer': hub.identity.demoOfficer('demo-330400-auditor').id },
    )
  ).data.auditVerification;

test('reads in full are logged in the person’s region with who, what, why; masked reads are not', async () => {
  const before = (await JIAXING('SELECT count(*)::int AS n FROM audit.entries'))[0].n;
  await graphql(hub.gateway.graphqlUrl, READ, { id: '330400:3' }, { 'X-Officer': '330400:1' }); // masked: no purpose
  expect((await JIAXING('SELECT count(*)::int AS n FROM audit.entries'))[0].n).toBe(before);

  const jiaxing = await graphql(
    hub.gateway.graphqlUrl,
    READ,
    { id: '330400:3' },
    { 'X-Officer': '330400:1', 'X-Purpose': 'petition-handling', 'X-Request-Id': 'req-audit-1' },
  );
  expect(jiaxing.errors).toBeUndefined();
  const suzhou = await graphql(hub.gateway.graphqlUrl, READ, { id: '330400:3' }, { 'X-Officer': '320500:1', 'X-Purpose': 'joint-handling' });
  expect(suzhou.errors).toBeUndefined();
  const rows = await JIAXING(
    "SELECT officer, jurisdiction, action, record, fields, purpose, request_id FROM audit.entries WHERE record = 'Person:330400:3' ORDER BY seq",
  );
  expect(rows).toEqual([
    {
      officer: '330400:1',
      jurisdiction: '330400',
      action: 'READ',
      record: 'Person:330400:3',
      fields: ['idNumber', 'name'],
      purpose: 'petition-handling',
      request_id: 'req-audit-1',
    },
    {
      officer: '320500:1',
      jurisdiction: '320500',
      action: 'READ',
      record: 'Person:330400:3',
      fields: ['idNumber', 'name'],
      purpose: 'joint-handling',
      request_id: expect.any(String),
    },
  ]);
  // Kept in the owning region only.
  expect((await queryDatabase(hub.databaseUrls.get('320500')!, "SELECT count(*)::int AS n FROM audit.entries WHERE record = 'Person:330400:3'"))[0].n).toBe(0);
});

test('changes are logged too', async () => {
  const result = await graphql(
    hub.gateway.graphqlUrl,
    'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }',
    { input: { region: '330400', raisedIn: '330421', level: 'RED', kind: 'REPEAT', subjectId: '330400:4', summary: '审计测试' } },
    { 'X-Officer': '330400:1' },
  );
  const id = result.data.raisePetitionWarning.id;
  expect(await JIAXING('SELECT officer, action FROM audit.entries WHERE record = $1', [`PetitionWarning:${id}`])).toEqual([
    { officer: '330400:1', action: 'CHANGE:raisePetitionWarning' },
  ]);
});

test('who read a person: for the region’s auditors and the home jurisdiction, not for partners', async () => {
  const query = 'query($id: ID!) { auditTrail(personId: $id) { officerId action fields purpose } }';
  const byAuditor = await graphql(hub.gateway.graphqlUrl, query, { id: '330400:3' }, { 'X-Officer': hub.identity.demoOfficer('demo-330400-auditor').id });
  expect(byAuditor.errors).toBeUndefined();
  expect(byAuditor.data.auditTrail.map((e: any) => e.officerId)).toEqual(['320500:1', '330400:1']);
  const byHome = await graphql(hub.gateway.graphqlUrl, query, { id: '330400:3' }, { 'X-Officer': '330400:1' });
  expect(byHome.data.auditTrail).toHaveLength(2);
  const byPartner = await graphql(hub.gateway.graphqlUrl, query, { id: '330400:3' }, { 'X-Officer': '320500:1' });
  expect(byPartner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test("each reader in the trail is the officer, fetched from the officer's own region (a Suzhou reader of a Jiaxing record too)", async () => {
  const trail = await graphql(
    hub.gateway.graphqlUrl,
    'query($id: ID!) { auditTrail(personId: $id) { officerId officer { id name } } }',
    { id: '330400:3' },
    { 'X-Officer': hub.identity.demoOfficer('demo-330400-auditor').id },
  );
  expect(trail.errors).toBeUndefined();
  const readers = trail.data.auditTrail.map((entry: any) => entry.officer);
  expect(readers.map((officer: any) => officer.id)).toEqual(['320500:1', '330400:1']);
  for (const officer of readers) expect(officer.name).toEqual(expect.any(String));
});

describe("a person's trail holds that person's rows only, not those of a petition, warning or officer of the same local id", () => {
  const TRAIL = 'query($id: ID!) { auditTrail(personId: $id, last: 500) { action record fields } }';
  const trail = async (id: string) => {
    const result = await graphql(hub.gateway.graphqlUrl, TRAIL, { id }, { 'X-Officer': hub.identity.demoOfficer('demo-330400-auditor').id });
    expect(result.errors).toBeUndefined();
    return result.data.auditTrail as Array<{ action: string; record: string; fields: string[] }>;
  };
  // Local ids n shared by a person, a petition and a warning of the seeded region, where petition n can be accepted and warning n resolved.
  const sharedLocalIds = async () =>
    (
      await JIAXING(
        `SELECT p.id::int AS n FROM petitions.petitions p
           JOIN petitions.warnings w ON w.id = p.id
           JOIN personnel.persons s ON s.id = p.id
           LEFT JOIN petitions.matters m ON m.id = p.matter_id
          WHERE p.status = 'REGISTERED' AND p.forwarded_to_region IS NULL AND m.closed_at IS NULL AND w.status <> 'RESOLVED'
          ORDER BY p.id`,
      )
    ).map((row) => row.n as number);
  // A local id shared by a person, a petition and a warning that no row names yet.
  const untouchedLocalId = async () =>
    (
      await JIAXING(
        `SELECT w.id::int AS n FROM petitions.warnings w JOIN petitions.petitions p ON p.id = w.id JOIN personnel.persons s ON s.id = w.id
          WHERE NOT EXISTS (SELECT 1 FROM audit.entries e WHERE e.record LIKE '%330400:' || w.id) ORDER BY w.id LIMIT 1`,
      )
    )[0].n as number;

  test('changing petition n and warning n leaves the trail of person n as it was', async () => {
    const [n] = await sharedLocalIds();
    const id = `330400:${n}`;
    const as = { 'X-Officer': '330400:1' };
    const read = await graphql(hub.gateway.graphqlUrl, READ, { id }, { ...as, 'X-Purpose': 'petition-handling' });
    expect(read.errors).toBeUndefined();
    const accepted = await graphql(hub.gateway.graphqlUrl, 'mutation($id: ID!) { acceptPetition(id: $id) { id } }', { id }, as);
    expect(accepted.errors).toBeUndefined();
    const resolved = await graphql(hub.gateway.graphqlUrl, 'mutation($id: ID!) { resolvePetitionWarning(id: $id, note: "审计测试") { id } }', { id }, as);
    expect(resolved.errors).toBeUndefined();

    // Only reads of the person, each naming the person (earlier tests may have read the same one).
    const entries = await trail(id);
    expect(entries).toContainEqual({ action: 'READ', record: `Person:${id}`, fields: ['idNumber', 'name'] });
    expect(new Set(entries.map((entry) => `${entry.action} ${entry.record}`))).toEqual(new Set([`READ Person:${id}`]));
    // Each change is in the chain, naming what it changed.
    expect(
      await JIAXING('SELECT action, record FROM audit.entries WHERE record IN ($1, $2) ORDER BY seq', [`Petition:${id}`, `PetitionWarning:${id}`]),
    ).toEqual([
      { action: 'CHANGE:acceptPetition', record: `Petition:${id}` },
      { action: 'CHANGE:resolvePetitionWarning', record: `PetitionWarning:${id}` },
    ]);
  });

  test("rows written before records were named with their type count as the person's only when only a person's row has their action", async () => {
    const n = await untouchedLocalId();
    const id = `330400:${n}`;
    const pool = new Pool({ connectionString: hub.databaseUrls.get('330400')!, max: 1 });
    const actor = {
      officerId: '330400:1',
      jurisdiction: '330400',
      agency: null,
      roles: ['PETITION_OFFICER'],
      purpose: null,
      grants: [],
      requestId: 'legacy',
      region: '330400',
    } as Actor;
    // The shape an earlier version wrote: the bare global id, chained under the region's key.
    const legacy = (action: string, fields: string[]) => ({ action, record: id, fields });
    try {
      await inTransaction(pool, (client) =>
        appendAudit(client, { key: hub.identity.auditChainKey('330400') }, actor, [
          legacy('READ', ['phone']),
          legacy('LOOKUP_BY_ID_NUMBER', ['idNumber']),
          legacy('CHANGE:tagPerson', ['tagPerson']),
          legacy('CHANGE:acceptPetition', ['acceptPetition']),
          legacy('CHANGE:resolvePetitionWarning', ['resolvePetitionWarning']),
          legacy('CHANGE:setOfficerActive', ['setOfficerActive']),
          legacy('CHANGE:recordTargetEvaluation', ['recordTargetEvaluation']),
        ]),
      );
    } finally {
      await pool.end();
    }
    expect((await trail(id)).map((entry) => [entry.action, entry.record])).toEqual([
      ['CHANGE:tagPerson', id],
      ['LOOKUP_BY_ID_NUMBER', id],
      ['READ', id],
    ]);
    expect(await verify()).toMatchObject({ intact: true, firstBadSeq: null });
  });
});

test('an edited, a deleted and an inserted row are each found and located, by the auditors’ query and by yrd-hub audit verify', async () => {
  expect(await verify()).toMatchObject({ intact: true, firstBadSeq: null });
  const [{ seq }] = await JIAXING("SELECT min(seq)::int AS seq FROM audit.entries WHERE record = 'Person:330400:3'");
  // The command signs in as the region's demo auditor; HUB_SCALE tells it this hub's roster size,
  // which places the auditor's id (the gateway lets in officers on the roster only).
  const scale = `330400:officersPerAgency=${TEST_SCALE.officersPerAgency}`;
  const cli = () =>
    runCli(['audit', 'verify', '--region', '330400', '--url', hub.gateway.graphqlUrl, '--regions', regionsFile], {
      HUB_DATA_DIR: hub.dataDir,
      HUB_SCALE: scale,
    });

  const intact = await cli();
  expect(intact.code).toBe(0);
  expect(intact.stdout).toMatch(/330400: intact \(\d+ rows, /);

  await JIAXING("UPDATE audit.entries SET fields = ARRAY['name'] WHERE seq = $1", [seq]);
  expect(await verify()).toMatchObject({ intact: false, firstBadSeq: seq, reason: expect.stringMatching(/edited/) });
  const edited = await cli();
  expect(edited.code).toBe(1);
  expect(edited.stdout).toMatch(new RegExp(`330400: BROKEN at row ${seq}: .*edited`));
  await JIAXING("UPDATE audit.entries SET fields = ARRAY['idNumber', 'name'] WHERE seq = $1", [seq]);
  expect(await verify()).toMatchObject({ intact: true });

  const [removed] = await JIAXING('DELETE FROM audit.entries WHERE seq = $1 RETURNING *', [seq]);
  expect(await verify()).toMatchObject({ intact: false, firstBadSeq: seq + 1, reason: expect.stringMatching(/missing/) });
  await JIAXING(
    'INSERT INTO audit.entries (seq, at, officer, jurisdiction, action, record, fields, purpose, request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
    [
      removed.seq,
      removed.at,
      removed.officer,
      removed.jurisdiction,
      removed.action,
      removed.record,
      removed.fields,
      removed.purpose,
      removed.request_id,
      removed.prev_hash,
      removed.hash,
    ],
  );
  expect(await verify()).toMatchObject({ intact: true });

  // A row slipped in between two others: shift the rest up and insert a forged one.
  await JIAXING('UPDATE audit.entries SET seq = seq + 1000000 WHERE seq > $1', [seq]);
  await JIAXING('UPDATE audit.entries SET seq = seq - 1000000 + 1 WHERE seq > 1000000');
  await JIAXING(
    "INSERT INTO audit.entries (seq, at, officer, jurisdiction, action, record, fields, purpose, request_id, prev_hash, hash) SELECT $1 + 1, at, '330400:2', jurisdiction, action, record, fields, purpose, 'forged', hash, repeat('0', 64) FROM audit.entries WHERE seq = $1",
    [seq],
  );
  expect(await verify()).toMatchObject({ intact: false, firstBadSeq: seq + 1 });
});
