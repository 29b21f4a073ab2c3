import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, KeyLike, SignJWT } from 'jose';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contextAudience } from '../auth/context-token';
import { composeSupergraph } from '../schema/compose';
import { Running, startCli } from './support/cli';

/**
 * `yrd-hub gateway --identity FILE`: a gateway in front of any supergraph that trusts only the
 * identity providers the file lists, each for its own jurisdictions, and forwards to subgraphs
 * a context token signed with the hub's key — never the caller's token. Without the hub's
 * regional personnel subgraph there is no roster to check officers against, and it says so.
 */

const TYPE_DEFS = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { notices: [Notice!]! }
  type Notice @key(fields: "id") { id: ID! text: String! }`;
const ISSUER = 'https://idp.zj.test';

let server: ApolloServer;
let gateway: Running;
let url: string;
let dataDir: string;
let trustedKey: KeyLike;
let untrustedKey: KeyLike;
const receivedAuthorization: Array<string | undefined> = [];

function callerToken(key: KeyLike, claims: { issuer?: string; jurisdiction: string; audience?: string }): Promise<string> {
  return new SignJWT({ jurisdiction: claims.jurisdiction, roles: ['PETITION_OFFICER'] })
    .setProtectedHeader({ alg: 'ES256', kid: 'zj-1' })
    .setIssuer(claims.issuer ?? ISSUER)
    .setAudience(claims.audience ?? 'yrd-hub')
    .setSubject(`${claims.jurisdiction}:17`)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

const post = (token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: '{ notices { id text } }' }),
  }).then(async (response) => ({ status: response.status, body: await response.json() }));

beforeAll(async () => {
  server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(TYPE_DEFS), resolvers: { Query: { notices: () => [{ id: 'n1', text: '联合检查通知' }] } } as never }),
  });
  const { url: subgraphUrl } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      receivedAuthorization.push(req.headers.authorization);
      return {};
    },
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-identity-'));
  dataDir = path.join(dir, 'hub-data');
  const supergraphFile = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, composeSupergraph([{ name: 'notices', url: subgraphUrl, typeDefs: TYPE_DEFS }]));

  const trusted = await generateKeyPair('ES256');
  trustedKey = trusted.privateKey;
  untrustedKey = (await generateKeyPair('ES256')).privateKey;
  writeFileSync(path.join(dir, 'zj.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(trusted.publicKey)), kid: 'zj-1', alg: 'ES256' }] }));
  const identityFile = path.join(dir, 'identity.yaml');
  writeFileSync(identityFile, `audience: yrd-hub\nissuers:\n  - issuer: ${ISSUER}\n    jurisdictions: ["33"]\n    jwks_file: ./zj.jwks.json\n`);

  gateway = startCli(['gateway', '--supergraph', supergraphFile, '--identity', identityFile, '--port', '0'], { HUB_DATA_DIR: dataDir });
  [, url] = await gateway.waitFor(/at (http:\S+\/graphql)/);
});

afterAll(async () => {
  await gateway?.interrupt();
  await server?.stop();
});

test('without a token, or with one from an untrusted key, another audience, or a jurisdiction its issuer does not cover: 401 and nothing sent', async () => {
  const refusals = [
    await post(),
    await post(await callerToken(untrustedKey, { jurisdiction: '330400' })),
    await post(await callerToken(trustedKey, { jurisdiction: '330400', issuer: 'https://idp.elsewhere.test' })),
    await post(await callerToken(trustedKey, { jurisdiction: '330400', audience: 'another-app' })),
    await post(await callerToken(trustedKey, { jurisdiction: '320500' })), // Zhejiang's provider speaking for Suzhou
  ];
  for (const refusal of refusals) {
    expect(refusal.status).toBe(401);
    expect(refusal.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  }
  expect(refusals[4].body.errors[0].message).toMatch(/may not vouch for jurisdiction 320500/);
  expect(receivedAuthorization).toEqual([]);
  expect(gateway.output()).not.toMatch(/INSECURE/);
});

test('a trusted caller is answered, and the subgraph receives the hub-signed context token for it, not the caller token', async () => {
  const token = await callerToken(trustedKey, { jurisdiction: '330421' });
  const answer = await post(token);
  expect(answer).toEqual({ status: 200, body: { data: { notices: [{ id: 'n1', text: '联合检查通知' }] } } });
  expect(receivedAuthorization).toHaveLength(1);
  const forwarded = /^Bearer (\S+)$/.exec(receivedAuthorization[0] ?? '')?.[1];
  expect(forwarded).toBeDefined();
  expect(forwarded).not.toBe(token);
  // Signed with the key the gateway made in HUB_DATA_DIR, for this subgraph only.
  const hubKeys = createLocalJWKSet(JSON.parse(readFileSync(path.join(dataDir, 'keys', 'hub-context.pub.json'), 'utf8')));
  const { payload } = await jwtVerify(forwarded!, hubKeys, { audience: contextAudience('notices') });
  expect(payload).toMatchObject({ sub: '330421:17', jurisdiction: '330421', roles: ['PETITION_OFFICER'] });
  expect(decodeJwt(forwarded!).iss).not.toBe(ISSUER);
});

test('a plain supergraph has no roster: the gateway says loudly at start that callers are not checked against one', () => {
  expect(gateway.output()).toMatch(/NO ROSTER: no regional personnel subgraph/);
});
