import { importJWK, KeyLike, SignJWT } from 'jose';
import { CONTEXT_ISSUER, contextAudience, ContextTokenError, ContextVerifier, RequestContext, signContextToken } from '../auth/context-token';
import { createKeyPair, SigningKey } from '../auth/keys';

/**
 * Context tokens between the gateway and the subgraphs: what a subgraph accepts, and that the
 * regions of one hub process, which receive the same token at the same moment, share one
 * verification instead of each starting its own.
 */

const context: RequestContext = {
  officerId: '330400:1',
  jurisdiction: '330400',
  agency: 'petition',
  roles: ['PETITION_OFFICER'],
  purpose: null,
  grants: [{ category: 'PETITION_WARNINGS', owner: '320500' }],
  requestId: 'r-1',
};

async function keys() {
  const { privateJwk, publicJwk } = await createKeyPair();
  const signing: SigningKey = { kid: publicJwk.kid!, privateKey: (await importJWK(privateJwk, 'ES256')) as KeyLike, publicJwk };
  return { signing, verifier: new ContextVerifier({ keys: [publicJwk] }) };
}

test('a token verifies for its subgraph and carries the context', async () => {
  const { signing, verifier } = await keys();
  const token = await signContextToken(signing, 'petitions', context);
  await expect(verifier.verify(token, 'petitions')).resolves.toEqual(context);
  await expect(verifier.verify(token, 'personnel')).rejects.toThrow(ContextTokenError);
});

test('calls that arrive together share one verification; a refused token is refused every time', async () => {
  const { signing, verifier } = await keys();
  const token = await signContextToken(signing, 'petitions', context);
  const first = verifier.verify(token, 'petitions');
  const second = verifier.verify(token, 'petitions');
  expect(second).toBe(first);
  await expect(Promise.all([first, second])).resolves.toEqual([context, context]);

  const forged = `${token.slice(0, -4)}AAAA`;
  const refusals = [verifier.verify(forged, 'petitions'), verifier.verify(forged, 'petitions')];
  expect(refusals[1]).toBe(refusals[0]);
  for (const refusal of refusals) await expect(refusal).rejects.toThrow('the context token does not verify');
  const later = verifier.verify(forged, 'petitions');
  expect(later).not.toBe(refusals[0]);
  await expect(later).rejects.toThrow(ContextTokenError);
});

test('the readers an answer is shared with travel in the token; a malformed list is refused, never read as fewer readers', async () => {
  const { signing, verifier } = await keys();
  const shared: RequestContext = { ...context, alsoReadBy: [{ officerId: '330400:2', requestId: 'r-2' }] };
  await expect(verifier.verify(await signContextToken(signing, 'petitions', shared), 'petitions')).resolves.toEqual(shared);
  const malformed = await new SignJWT({ jurisdiction: '330400', roles: [], grants: {}, requestId: 'r-1', alsoReadBy: [['330400:2']] })
    .setProtectedHeader({ alg: 'ES256', kid: signing.kid, typ: 'yrd-context+jwt' })
    .setIssuer(CONTEXT_ISSUER)
    .setAudience(contextAudience('petitions'))
    .setSubject('330400:1')
    .setIssuedAt()
    .setExpirationTime('1 minute')
    .sign(signing.privateKey);
  await expect(verifier.verify(malformed, 'petitions')).rejects.toThrow("the context token's alsoReadBy claim is not valid here");
});
