import { generateKeyPair, SignJWT } from 'jose';
import { HUB_AUDIENCE } from '../auth/caller-token';
import { CONTEXT_ISSUER, contextAudience } from '../auth/context-token';
import type { RunningHub } from '../launcher/hub';
import { demoIssuer, SERVICE_ISSUER } from '../launcher/hub-identity';
import { contextTokenFor, graphql, startTestHub, tokenFor, tokenWithClaims } from './support/hub';

/**
 * Who gets in. At the gateway: only callers with a valid token from a trusted provider, for
 * this audience, within its lifetime, for jurisdictions the provider may vouch for; anything
 * else is HTTP 401 before any subgraph is asked. At each subgraph: only the gateway's context
 * token made for that subgraph; a caller's own token, another subgraph's, or an expired one
 * gets nothing — `_service` and `_entities` included.
 */

let hub: RunningHub;
const QUERY = '{ petitionWarnings(first: 2) { edges { node { id subject { name } } } } }';

beforeAll(async () => {
  hub = await startTestHub('t_authn');
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

const ask = (authorization: string) => graphql(hub.gateway.graphqlUrl, QUERY, {}, { authorization });
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function validToken(): Promise<string> {
  return tokenFor(hub.gateway.graphqlUrl, '330400:1');
}

describe('at the gateway', () => {
  test('a valid token from the province’s provider is let in', async () => {
    const result = await ask(`Bearer ${await validToken()}`);
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data.petitionWarnings.edges).toHaveLength(2);
  });

  const refusals: Array<[string, () => Promise<string>, RegExp]> = [
    ['no credentials', async () => '', /No credentials/],
    ['not a bearer token', async () => 'Basic dXNlcjpwYXNz', /not a bearer token/],
    ['not a JWT', async () => 'Bearer not-a-jwt', /not a JWT/],
    [
      'alg: none',
      async () => {
        const [, payload] = (await validToken()).split('.');
        return `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      },
      /algorithm is not accepted|does not verify|not valid/,
    ],
    [
      'altered claims (another officer, same signature)',
      async () => {
        const [header, payload, signature] = (await validToken()).split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        return `Bearer ${header}.${base64url({ ...claims, sub: '330400:2', roles: ['AUDITOR'] })}.${signature}`;
      },
      /signature does not verify/,
    ],
    [
      'signed by a key the provider does not have (forged)',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const forged = await new SignJWT({ jurisdiction: '330400', roles: ['PETITION_OFFICER'] })
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer(demoIssuer('330000'))
          .setAudience(HUB_AUDIENCE)
          .setSubject('330400:1')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey);
        return `Bearer ${forged}`;
      },
      /does not verify|no key of the issuer matches/,
    ],
    [
      'from an issuer nobody trusts',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const foreign = await new SignJWT({ jurisdiction: '330400', roles: [] })
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer('https://idp.elsewhere.example')
          .setAudience(HUB_AUDIENCE)
          .setSubject('330400:1')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey);
        return `Bearer ${foreign}`;
      },
      /issuer "https:\/\/idp.elsewhere.example" are not trusted/,
    ],
    [
      'expired',
      async () => `Bearer ${await hub.identity.demoToken({ id: '330400:1', jurisdiction: '330400', roles: ['PETITION_OFFICER'] }, -3600)}`,
      /expired/,
    ],
    [
      'for another audience',
      async () => {
        const officer = hub.identity.demoOfficerById('330400:1');
        // The provider's own key, but a token meant for another application.
        const key = hub.identity.demoProviderKey('330000')!;
        const token = await new SignJWT({ jurisdiction: officer.jurisdiction, roles: officer.roles })
          .setProtectedHeader({ alg: 'ES256', kid: key.kid })
          .setIssuer(demoIssuer('330000'))
          .setAudience('another-app')
          .setSubject(officer.id)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(key.privateKey);
        return `Bearer ${token}`;
      },
      /aud claim is not valid/,
    ],
    [
      'a provider vouching for another province’s officer',
      async () => {
        const zhejiang = hub.identity.demoProviderKey('330000')!;
        const token = await new SignJWT({ jurisdiction: '320500', roles: ['PETITION_OFFICER'] })
          .setProtectedHeader({ alg: 'ES256', kid: zhejiang.kid })
          .setIssuer(demoIssuer('330000'))
          .setAudience(HUB_AUDIENCE)
          .setSubject('320500:1')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(zhejiang.privateKey);
        return `Bearer ${token}`;
      },
      /may not vouch for jurisdiction 320500/,
    ],
    [
      'an officer token posing as a hub service',
      async () => `Bearer ${await tokenWithClaims(hub, { id: 'service:330400', jurisdiction: '330400', roles: ['SERVICE'] })}`,
      /may not name a hub service/,
    ],
  ];

  test.each(refusals)('%s: HTTP 401 UNAUTHENTICATED, and no subgraph is asked', async (_case, make, reason) => {
    const before = hub.statementCount();
    const result = await ask(await make());
    expect(result.status).toBe(401);
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors![0].message).toMatch(reason);
    expect(hub.statementCount()).toBe(before);
  });

  test('the service issuer cannot name officers', async () => {
    const serviceKey = hub.identity.serviceKey;
    const token = await new SignJWT({ jurisdiction: '330400', roles: ['AUDITOR'] })
      .setProtectedHeader({ alg: 'ES256', kid: serviceKey.kid })
      .setIssuer(SERVICE_ISSUER)
      .setAudience(HUB_AUDIENCE)
      .setSubject('330400:1')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(serviceKey.privateKey);
    const result = await ask(`Bearer ${token}`);
    expect(result.status).toBe(401);
    expect(result.errors![0].message).toMatch(/names services only/);
  });
});

describe('directly at each subgraph', () => {
  const subgraphs = () => [
    ...['petitions', 'dossier', 'enforcement', 'personnel'].map((name) => ({ name, url: `${hub.regionServers.get('330400')!.url}/${name}/graphql` })),
    { name: 'directory', url: `${hub.directoryServer.url}/directory/graphql` },
  ];
  const post = async (url: string, authorization: string | undefined, query: string, variables: object = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: any }> } };
  };
  const SERVICE = '{ _service { sdl } }';
  const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';

  test('a context token the gateway made for that subgraph is accepted', async () => {
    for (const { name, url } of subgraphs()) {
      const result = await post(url, `Bearer ${await contextTokenFor(hub, name, '330400:1')}`, SERVICE);
      expect({ name, status: result.status }).toEqual({ name, status: 200 });
      expect(result.body.data._service.sdl).toContain('type Query');
    }
  });

  test('no token, a stolen officer token, another subgraph’s or an expired context token: refused before anything runs', async () => {
    const officerToken = await validToken();
    const contextKey = hub.identity.contextKey;
    const expired = (subgraph: string) =>
      new SignJWT({ jurisdiction: '330400', roles: ['PETITION_OFFICER'], grants: [] })
        .setProtectedHeader({ alg: 'ES256', kid: contextKey.kid, typ: 'yrd-context+jwt' })
        .setIssuer(CONTEXT_ISSUER)
        .setAudience(contextAudience(subgraph))
        .setSubject('330400:1')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 180)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
        .sign(contextKey.privateKey);
    let checked = 0;
    for (const { name, url } of subgraphs()) {
      const other = name === 'personnel' ? 'petitions' : 'personnel';
      const cases: Array<[string, string | undefined]> = [
        ['no token', undefined],
        ['officer token', `Bearer ${officerToken}`],
        ['another subgraph’s context token', `Bearer ${await contextTokenFor(hub, other, '330400:1')}`],
        ['expired context token', `Bearer ${await expired(name)}`],
      ];
      for (const [label, authorization] of cases) {
        for (const [query, variables] of [
          [SERVICE, {}],
          [ENTITIES, { r: [{ __typename: 'Person', id: '330400:1' }] }],
        ] as const) {
          const before = hub.statementCount();
          const result = await post(url, authorization, query, variables);
          expect({ name, label, status: result.status, code: result.body.errors?.[0]?.extensions?.code, data: result.body.data }).toEqual({
            name,
            label,
            status: 401,
            code: 'UNAUTHENTICATED',
            data: undefined,
          });
          expect(hub.statementCount()).toBe(before);
          checked += 1;
        }
      }
    }
    expect(checked).toBe(5 * 4 * 2);
  });
});
