import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, JWK, KeyLike } from 'jose';

/**
 * Signing keys kept as JWK files: a private key (mode 600) and its public half. Created once,
 * then read on every start, so tokens signed before a restart stay valid after it.
 */
export const SIGNING_ALGORITHM = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

export async function createKeyPair(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
  };
}

/** Reads `<file>` (a private JWK), creating the pair first if absent; also writes `<file>.pub.json`. */
export async function ensureSigningKey(file: string): Promise<SigningKey> {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateJwk, publicJwk } = await createKeyPair();
    writeFileSync(file, JSON.stringify(privateJwk, null, 2), { mode: 0o600 });
    writeFileSync(publicKeyFile(file), JSON.stringify({ keys: [publicJwk] }, null, 2));
  }
  return loadSigningKey(file);
}

export async function loadSigningKey(file: string): Promise<SigningKey> {
  chmodSync(file, 0o600);
  const privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { d: _secret, ...publicJwk } = privateJwk;
  return { kid: privateJwk.kid!, privateKey: (await importJWK(privateJwk, SIGNING_ALGORITHM)) as KeyLike, publicJwk };
}

/** Where the public half of a private key file is written, as a JWKS. */
export function publicKeyFile(privateKeyFile: string): string {
  return privateKeyFile.replace(/\.json$/, '') + '.pub.json';
}
