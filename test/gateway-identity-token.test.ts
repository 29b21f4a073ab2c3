import { decodeJwt, importJWK, KeyLike } from 'jose';
import { CONTEXT_LIFETIME_SECONDS, ContextVerifier, GATEWAY_IDENTITY } from '../auth/context-token';
import { createKeyPair, SigningKey } from '../auth/keys';
import { GatewayClaims, GatewayIdentityTokens } from '../gateway/gateway-identity-token';

/**
 * The gateway's own context tokens (reading a region's warning feed, grants, the roster): signed
 * with the hub's key, verified by a subgraph's verifier, and signed once per subgraph and claims
 * until half their lifetime has gone.
 */

const feedClaims: GatewayClaims = { subject: GATEWAY_IDENTITY, jurisdiction: '330400', roles: [], purpose: null, requestId: 'feed-330400' };

async function keys() {
  const { privateJwk, publicJwk } = await createKeyPair();
  const signing: SigningKey = { kid: publicJwk.kid!, privateKey: (await importJWK(privateJwk, 'ES256')) as KeyLike, publicJwk };
  return { signing, verifier: new ContextVerifier({ keys: [publicJwk] }) };
}

test("a token verifies at its subgraph and names the gateway with the claims given, and no officer's grants", async () => {
  const { signing, verifier } = await keys();
  const token = await new GatewayIdentityTokens(signing).token('petitions', feedClaims);
  await expect(verifier.verify(token, 'petitions')).resolves.toEqual({
    officerId: GATEWAY_IDENTITY,
    jurisdiction: '330400',
    agency: null,
    roles: [],
    purpose: null,
    grants: [],
    requestId: 'feed-330400',
  });
  await expect(verifier.verify(token, 'personnel')).rejects.toThrow('aud claim');
});

test('the same token serves until half its lifetime has gone, then one signed anew that verifies too', async () => {
  const { signing, verifier } = await keys();
  // The clock starts in the past so that the token signed at its second reading is not from the future for the verifier.
  let now = Date.now() - CONTEXT_LIFETIME_SECONDS * 1000 * 0.75;
  const tokens = new GatewayIdentityTokens(signing, () => now);
  const first = await tokens.token('petitions', feedClaims);

  now += (CONTEXT_LIFETIME_SECONDS * 1000) / 2 - 1;
  expect(await tokens.token('petitions', feedClaims)).toBe(first);

  now += 1;
  const second = await tokens.token('petitions', feedClaims);
  expect(second).not.toBe(first);
  expect(decodeJwt(second).iat! - decodeJwt(first).iat!).toBe(CONTEXT_LIFETIME_SECONDS / 2);
  await expect(verifier.verify(first, 'petitions')).resolves.toMatchObject({ officerId: GATEWAY_IDENTITY });
  await expect(verifier.verify(second, 'petitions')).resolves.toMatchObject({ officerId: GATEWAY_IDENTITY });
});

test('each subgraph and set of claims has a token of its own', async () => {
  const { signing, verifier } = await keys();
  const tokens = new GatewayIdentityTokens(signing);
  const roster: GatewayClaims = { subject: 'service:gateway', jurisdiction: '330400', roles: ['SERVICE'], purpose: 'authentication', requestId: 'roster' };
  const jiaxing = await tokens.token('personnel', roster);
  const suzhou = await tokens.token('personnel', { ...roster, jurisdiction: '320500' });
  const directory = await tokens.token('directory', roster);
  expect(new Set([jiaxing, suzhou, directory]).size).toBe(3);
  await expect(verifier.verify(suzhou, 'personnel')).resolves.toMatchObject({ officerId: 'service:gateway', jurisdiction: '320500', roles: ['SERVICE'] });
  await expect(verifier.verify(directory, 'directory')).resolves.toMatchObject({ purpose: 'authentication' });
});

test('a signing that fails is not kept: the next call signs again', async () => {
  const { signing } = await keys();
  const broken: SigningKey = { ...signing, privateKey: {} as KeyLike };
  const tokens = new GatewayIdentityTokens(broken);
  const failed = tokens.token('petitions', feedClaims);
  await expect(failed).rejects.toThrow();
  expect(tokens.token('petitions', feedClaims)).not.toBe(failed);
});
