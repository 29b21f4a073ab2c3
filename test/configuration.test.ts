import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { loadRegionConfig } from '../gateway/region-config';
import { readRoleRules } from '../gateway/early-access';
import { readRoutingRules } from '../gateway/routing-rules';
import { composeFromCode } from '../launcher/compose-command';
import { checkpointScheduleOf } from '../launcher/cli';
import { parseRegionScale } from '../launcher/hub';
import { repoPath } from '../subgraphs/shared/repo-path';
import { runCli } from './support/cli';

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-config-')), name);
  writeFileSync(file, text);
  return file;
}

describe('composition', () => {
  test('the committed supergraph, API schema and subgraph SDL files equal a fresh composition of the code', async () => {
    const fresh = await composeFromCode(repoPath('supergraph.yaml'), { write: false });
    expect(readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8')).toBe(fresh.supergraphSdl);
    expect(readFileSync(repoPath('schema', 'api.graphql'), 'utf8')).toBe(fresh.apiSdl);
    for (const [file, sdl] of fresh.subgraphSdls) expect(readFileSync(file, 'utf8')).toBe(sdl);
  });

  test('the routing directives survive composition and the gateway reads them', () => {
    const supergraph = parse(readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8'));
    const rules = readRoutingRules(supergraph, ['petitions', 'dossier', 'enforcement', 'personnel']);
    expect(rules.rootFields.get('Query.petitionWarnings')).toMatchObject({
      kind: 'fanOut',
      subgraph: 'petitions',
      sortKey: 'raisedAt',
      descending: true,
      defaultFirst: 20,
    });
    expect(rules.rootFields.get('Query.inspections')).toMatchObject({ kind: 'fanOut', subgraph: 'enforcement', sortKey: 'plannedAt' });
    expect(rules.rootFields.get('Mutation.raisePetitionWarning')).toEqual({ kind: 'routeBy', subgraph: 'petitions', argumentPath: ['input', 'region'] });
    expect(rules.entityFields.get('Person.petitions')).toMatchObject({ kind: 'fanOut', subgraph: 'dossier', sortKey: 'registeredAt', descending: true });
    // Access rules travel with the fields: the gateway refuses early what roles can never read.
    const roles = readRoleRules(supergraph);
    expect(roles.get('Query.auditVerification')).toEqual(['AUDITOR']);
    expect(roles.get('Mutation.createSharingAgreement')).toEqual(['AGREEMENT_ADMIN']);
    expect(roles.get('Mutation.acceptPetition')).toEqual(['PETITION_OFFICER', 'SUPERVISOR']);
    expect(roles.has('Person.name')).toBe(false); // decided per record by the subgraph, not by role
    expect(rules.rootFields.get('Query.person')).toEqual({ kind: 'routeBy', subgraph: 'personnel', argumentPath: ['id'] });
    expect(rules.rootFields.has('Query.regions')).toBe(false); // directory is not regional
  });

  test('a regional root field without a routing directive stops the gateway with its name', () => {
    const supergraph = readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8').replace('@fanOut(sortKey: "plannedAt", descending: true)', '');
    expect(() => readRoutingRules(parse(supergraph), ['petitions', 'enforcement', 'personnel'])).toThrow(
      /Query\.inspections \(subgraph enforcement\) belongs to a regional subgraph but declares neither @fanOut/,
    );
    const wrongKey = readFileSync(repoPath('schema', 'supergraph.graphql'), 'utf8').replace('sortKey: "plannedAt"', 'sortKey: "nope"');
    expect(() => readRoutingRules(parse(wrongKey), ['enforcement'])).toThrow(/@fanOut sortKey "nope" is not a field of Inspection/);
  });

  test('a malformed supergraph.yaml names the file and the field, and exits non-zero', async () => {
    const file = tempFile('supergraph.yaml', 'federation_version: =2.7.0\nsubgraphs:\n  petitions:\n    routing_url: not a url\n    schema: {}\n');
    const result = await runCli(['compose', '--config', file, '--check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:`);
    expect(result.stderr).toContain('subgraphs.petitions.routing_url: must be an http(s) URL');
    expect(result.stderr).toContain('subgraphs.petitions.schema.file');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('a composition error names the subgraph and exits non-zero', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-compose-'));
    writeFileSync(
      path.join(dir, 'a.graphql'),
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { a: Thing }\ntype Thing @key(fields: "id") { id: ID! size: Int }',
    );
    writeFileSync(
      path.join(dir, 'b.graphql'),
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { b: Thing }\ntype Thing @key(fields: "id") { id: ID! size: String }',
    );
    const config = path.join(dir, 'supergraph.yaml');
    writeFileSync(
      config,
      'subgraphs:\n  alpha:\n    routing_url: http://127.0.0.1:1/graphql\n    schema: { file: a.graphql }\n  beta:\n    routing_url: http://127.0.0.1:2/graphql\n    schema: { file: b.graphql }\n',
    );
    const result = await runCli(['compose', '--config', config, '--out', path.join(dir, 'out.graphql')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Composition failed/);
    expect(result.stderr).toMatch(/\[alpha, beta\] FIELD_TYPE_MISMATCH/);
  });
});

describe('regions.yaml', () => {
  test('the shipped file lists the four demo regions', () => {
    const config = loadRegionConfig(repoPath('regions.yaml'));
    expect(config.regions.map((r) => r.code)).toEqual(['310000', '320500', '330400', '340100']);
    expect(config.regionalSubgraphs).toEqual(['petitions', 'dossier', 'enforcement', 'personnel']);
  });

  test('every problem names the file and the field', () => {
    const file = tempFile(
      'regions.yaml',
      'regional_subgraphs: [petitions]\nregions:\n  - code: 330400\n    name: 嘉兴市\n  - code: "33040"\n    name: x\n    timeout_ms: -1\n',
    );
    expect(() => loadRegionConfig(file)).toThrow(file);
    try {
      loadRegionConfig(file);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('regions.0.code: Invalid input: expected string, received number');
      expect(message).toContain('regions.1.code: must be a 6-digit region code');
      expect(message).toContain('regions.1.timeout_ms');
    }
  });

  test('a duplicate region code is refused', () => {
    const file = tempFile('regions.yaml', 'regional_subgraphs: [petitions]\nregions:\n  - {code: "330400", name: a}\n  - {code: "330400", name: b}\n');
    expect(() => loadRegionConfig(file)).toThrow('regions.1.code: 330400 is already regions.0.code');
  });

  test('yrd-hub start with a malformed region file exits non-zero naming it, before touching any database', async () => {
    const file = tempFile('regions.yaml', 'regional_subgraphs: [petitions]\nregions: []\n');
    const result = await runCli(['start', '--regions', file], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}: regions: lists no region`);
  });
});

describe('HUB_SCALE', () => {
  test('reads per-region sizes and refuses what it cannot read', () => {
    expect(parseRegionScale('330400:petitions=1000000; 320500:persons=10,warnings=3')).toEqual({
      '330400': { petitions: 1_000_000 },
      '320500': { persons: 10, warnings: 3 },
    });
    expect(parseRegionScale(undefined)).toEqual({});
    expect(() => parseRegionScale('jiaxing:petitions=5')).toThrow(/HUB_SCALE: "jiaxing:petitions=5" should read REGION:size=N/);
    expect(() => parseRegionScale('330400:cases=5')).toThrow(/"cases" is not a demo size/);
    expect(() => parseRegionScale('330400:petitions=many')).toThrow(/petitions must be a whole number/);
  });
});

describe('HUB_AUDIT_CHECKPOINT_ROWS and HUB_AUDIT_CHECKPOINT_SECONDS', () => {
  test('default to 1,000 rows or 60 seconds and refuse what is not a whole number of at least 1', () => {
    expect(checkpointScheduleOf({})).toEqual({ everyRows: 1000, everyMs: 60_000 });
    expect(checkpointScheduleOf({ HUB_AUDIT_CHECKPOINT_ROWS: '50', HUB_AUDIT_CHECKPOINT_SECONDS: '5' })).toEqual({ everyRows: 50, everyMs: 5000 });
    expect(() => checkpointScheduleOf({ HUB_AUDIT_CHECKPOINT_ROWS: '0' })).toThrow(
      /HUB_AUDIT_CHECKPOINT_ROWS must be a whole number of at least 1, but got "0"/,
    );
    expect(() => checkpointScheduleOf({ HUB_AUDIT_CHECKPOINT_SECONDS: 'soon' })).toThrow(/HUB_AUDIT_CHECKPOINT_SECONDS must be a whole number/);
  });
});

describe('yrd-hub token', () => {
  test('prints a token for a demo login, and refuses unknown logins and regions with a clear message', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-token-'));
    const ok = await runCli(['token', 'demo-330400-market-1'], { HUB_DATA_DIR: dataDir });
    expect(ok.code).toBe(0);
    const [, payload] = ok.stdout.trim().split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      sub: '330400:9',
      jurisdiction: '330400',
      agency: 'MARKET_REGULATION',
      roles: ['ENFORCEMENT_OFFICER', 'SUPERVISOR'],
      aud: 'yrd-hub',
    });
    const unknown = await runCli(['token', 'nobody'], { HUB_DATA_DIR: dataDir });
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/no demo officer has the login "nobody"/)]);
    const elsewhere = await runCli(['token', 'demo-999999'], { HUB_DATA_DIR: dataDir });
    expect([elsewhere.code, elsewhere.stderr]).toEqual([1, expect.stringMatching(/names region 999999, which is not in the region configuration/)]);
  });
});
