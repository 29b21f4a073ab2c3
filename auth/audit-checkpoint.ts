import { CompactSign, compactVerify, importJWK, JWK, KeyLike } from 'jose';
import type { ChainAnchor } from './audit-chain';
import { SIGNING_ALGORITHM, SigningKey } from './keys';

/**
 * A signed statement "region R's audit chain had reached row `seq`, whose MAC is `hash`",
 * made by the hub's checkpoint key (keys/audit-checkpoints.json, never in a region's database)
 * and kept outside the region's database. Whoever holds the public half can check it, so the
 * store that serves it need not be trusted: it can withhold newer checkpoints, not forge one.
 */

export interface AuditCheckpoint extends ChainAnchor {
  region: string;
  at: string;
}

const TYPE = 'yrd-hub-audit-checkpoint';
const decoder = new TextDecoder();

export async function signCheckpoint(key: SigningKey, checkpoint: AuditCheckpoint): Promise<string> {
  const payload = JSON.stringify({ region: checkpoint.region, seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at });
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: TYPE }).sign(key.privateKey);
}

export class CheckpointVerifier {
  private readonly key: Promise<KeyLike | Uint8Array>;

  constructor(publicJwk: JWK) {
    this.key = importJWK(publicJwk, SIGNING_ALGORITHM);
  }

  /** The checkpoint `token` states, if its signature is the checkpoint key's and it is about `region`; else throws. */
  async verify(token: string, region: string): Promise<AuditCheckpoint> {
    const { payload, protectedHeader } = await compactVerify(token, await this.key, { algorithms: [SIGNING_ALGORITHM] });
    if (protectedHeader.typ !== TYPE) throw new Error('not an audit checkpoint');
    const checkpoint = JSON.parse(decoder.decode(payload)) as AuditCheckpoint;
    if (checkpoint.region !== region) throw new Error(`the checkpoint is about region ${checkpoint.region}, not ${region}`);
    if (!Number.isInteger(checkpoint.seq) || checkpoint.seq < 1 || !/^[0-9a-f]{64}$/.test(checkpoint.hash)) throw new Error('the checkpoint is malformed');
    return checkpoint;
  }
}
