import type { RunningHub } from '../launcher/hub';
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
    "SELECT officer, jurisdiction, action, record, fields, purpose, request_id FROM audit.entries WHERE record = '330400:3' ORDER BY seq",
  );
  expect(rows).toEqual([
    {
      officer: '330400:1',
      jurisdiction: '330400',
      action: 'READ',
      record: '330400:3',
      fields: ['idNumber', 'name'],
      purpose: 'petition-handling',
      request_id: 'req-audit-1',
    },
    {
      officer: '320500:1',
      jurisdiction: '320500',
      action: 'READ',
      record: '330400:3',
      fields: ['idNumber', 'name'],
      purpose: 'joint-handling',
      request_id: expect.any(String),
    },
  ]);
  // Kept in the owning region only.
  expect((await queryDatabase(hub.databaseUrls.get('320500')!, "SELECT count(*)::int AS n FROM audit.entries WHERE record = '330400:3'"))[0].n).toBe(0);
});

test('changes are logged too', async () => {
  const result = await graphql(
    hub.gateway.graphqlUrl,
    'mutation($input: RaiseWarningInput!) { raisePetitionWarning(input: $input) { id } }',
    { input: { region: '330400', raisedIn: '330421', level: 'RED', kind: 'REPEAT', subjectId: '330400:4', summary: '审计测试' } },
    { 'X-Officer': '330400:1' },
  );
  const id = result.data.raisePetitionWarning.id;
  expect(await JIAXING('SELECT officer, action FROM audit.entries WHERE record = $1', [id])).toEqual([
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

test('an edited, a deleted and an inserted row are each found and located, by the auditors’ query and by yrd-hub audit verify', async () => {
  expect(await verify()).toMatchObject({ intact: true, firstBadSeq: null });
  const [{ seq }] = await JIAXING("SELECT min(seq)::int AS seq FROM audit.entries WHERE record = '330400:3'");
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
