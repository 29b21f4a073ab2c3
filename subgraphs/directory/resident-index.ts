import { createHmac } from 'node:crypto';
import type { PoolClient } from 'pg';

/**
 * The hub's index of resident ID numbers (one person, one record): HMAC-SHA256 of the number
 * under a key derived from the hub's own secret, so that the index can neither be read back nor
 * searched by trying numbers (an unkeyed hash of 18 digits with a known structure could be).
 */

export function residentIndexKey(hubSecret: Buffer): Buffer {
  // A key of its own, derived with a label: the index and the audit chain never share one.
  return createHmac('sha256', hubSecret).update('yrd-hub resident index v1').digest();
}

export function idNumberHash(key: Buffer, idNumber: string): Buffer {
  return createHmac('sha256', key).update(idNumber.toUpperCase()).digest();
}

export interface ResidentHolder {
  region: string;
  personId: string;
}

/**
 * Claims `hash` for the person: the first region to claim a number holds it; the holding region
 * may claim it again (for a new record of its own, after a lost registration). Returns the holder.
 */
export async function claimResident(db: PoolClient, hash: Buffer, holder: ResidentHolder): Promise<ResidentHolder> {
  const { rows } = await db.query<{ region: string; person_id: string }>(
    `INSERT INTO directory.resident_index AS r (id_hash, region, person_id) VALUES ($1, $2, $3)
     ON CONFLICT (id_hash) DO UPDATE SET person_id = CASE WHEN r.region = EXCLUDED.region THEN EXCLUDED.person_id ELSE r.person_id END
     RETURNING region, person_id`,
    [hash, holder.region, holder.personId],
  );
  return { region: rows[0].region, personId: rows[0].person_id };
}

/**
 * Hands the number over to another region (a change of household registration): true when the
 * caller held it (or held no entry yet, as for a record older than the index), or when it is the
 * new record's already (a repeated move); false when a third region holds it.
 */
export async function moveResident(db: PoolClient, hash: Buffer, from: ResidentHolder, to: ResidentHolder): Promise<boolean> {
  const { rows } = await db.query<{ person_id: string }>(
    `INSERT INTO directory.resident_index AS r (id_hash, region, person_id) VALUES ($1, $4, $5)
     ON CONFLICT (id_hash) DO UPDATE SET region = EXCLUDED.region, person_id = EXCLUDED.person_id, claimed_at = now()
      WHERE (r.region = $2 AND r.person_id = $3) OR r.person_id = EXCLUDED.person_id
     RETURNING person_id`,
    [hash, from.region, from.personId, to.region, to.personId],
  );
  return rows.length > 0;
}
