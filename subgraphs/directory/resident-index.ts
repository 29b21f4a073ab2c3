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
 * may claim it again (for a new record of its own, after a lost registration). `confirmed` says
 * the record is committed in its region; an unconfirmed claim is one whose registration has yet
 * to commit, or never did. Returns the holder, and whether its claim is confirmed.
 */
export async function claimResident(
  db: PoolClient,
  hash: Buffer,
  holder: ResidentHolder,
  confirmed: boolean,
): Promise<ResidentHolder & { confirmed: boolean }> {
  const { rows } = await db.query<{ region: string; person_id: string; confirmed: boolean }>(
    `INSERT INTO directory.resident_index AS r (id_hash, region, person_id, confirmed_at) VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END)
     ON CONFLICT (id_hash) DO UPDATE SET
       person_id = CASE WHEN r.region = EXCLUDED.region THEN EXCLUDED.person_id ELSE r.person_id END,
       confirmed_at = CASE
         WHEN r.region <> EXCLUDED.region THEN r.confirmed_at
         WHEN r.person_id = EXCLUDED.person_id THEN coalesce(r.confirmed_at, EXCLUDED.confirmed_at)
         ELSE EXCLUDED.confirmed_at END,
       claimed_at = CASE WHEN r.region = EXCLUDED.region AND r.person_id <> EXCLUDED.person_id THEN now() ELSE r.claimed_at END
     RETURNING region, person_id, confirmed_at IS NOT NULL AS confirmed`,
    [hash, holder.region, holder.personId, confirmed],
  );
  return { region: rows[0].region, personId: rows[0].person_id, confirmed: rows[0].confirmed };
}

/** Drops the holder's claim on `hash`: its region keeps no record of the number. False when it holds no such claim. */
export async function releaseResident(db: PoolClient, hash: Buffer, holder: ResidentHolder): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM directory.resident_index WHERE id_hash = $1 AND region = $2 AND person_id = $3', [
    hash,
    holder.region,
    holder.personId,
  ]);
  return (rowCount ?? 0) > 0;
}

/**
 * Hands the number over to another region (a change of household registration), confirmed:
 * the new region has committed its record before it is asked. True when the caller held it (or
 * held no entry yet, as for a record older than the index), or when it is the new record's
 * already (a repeated move); false when a third region holds it.
 */
export async function moveResident(db: PoolClient, hash: Buffer, from: ResidentHolder, to: ResidentHolder): Promise<boolean> {
  const { rows } = await db.query<{ person_id: string }>(
    `INSERT INTO directory.resident_index AS r (id_hash, region, person_id, confirmed_at) VALUES ($1, $4, $5, now())
     ON CONFLICT (id_hash) DO UPDATE SET region = EXCLUDED.region, person_id = EXCLUDED.person_id, claimed_at = now(), confirmed_at = now()
      WHERE (r.region = $2 AND r.person_id = $3) OR r.person_id = EXCLUDED.person_id
     RETURNING person_id`,
    [hash, from.region, from.personId, to.region, to.personId],
  );
  return rows.length > 0;
}
