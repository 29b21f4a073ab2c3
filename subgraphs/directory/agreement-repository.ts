import type { Pool, PoolClient } from 'pg';
import type { Grant } from '../../auth/context-token';
import { parseGlobalId } from '../../auth/global-id';
import { significantPrefix } from '../../auth/jurisdiction';
import type { KeysetPosition } from '../shared/pagination';
import { SqlFilter } from '../shared/sql-filter';
import type { SharingAgreement, SharingCategory } from './agreement-types';

export interface AgreementRow {
  id: string;
  title: string;
  provider: string;
  recipient: string;
  mutual: boolean;
  categories: SharingCategory[];
  valid_from: Date;
  valid_until: Date;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revocation_reason: string | null;
}

const COLUMNS = 'id, title, provider, recipient, mutual, categories, valid_from, valid_until, created_by, created_at, revoked_at, revoked_by, revocation_reason';

export function toAgreement(row: AgreementRow, now = new Date()): SharingAgreement {
  return {
    id: row.id,
    title: row.title,
    providerCode: row.provider,
    recipientCode: row.recipient,
    mutual: row.mutual,
    categories: row.categories,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    createdBy: parseGlobalId(row.created_by) ? { id: row.created_by } : null,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by ? { id: row.revoked_by } : null,
    revocationReason: row.revocation_reason,
    active: !row.revoked_at && row.valid_from <= now && now < row.valid_until,
  };
}

export const agreementPosition = (row: AgreementRow): KeysetPosition => ({ sortKey: row.created_at.toISOString(), id: row.id });

export async function insertAgreement(
  client: PoolClient | Pool,
  agreement: { title: string; provider: string; recipient: string; mutual: boolean; categories: SharingCategory[]; validFrom: Date; validUntil: Date; createdBy: string },
): Promise<AgreementRow> {
  const { rows } = await client.query<AgreementRow>(
    `INSERT INTO directory.sharing_agreements (title, provider, recipient, provider_prefix, recipient_prefix, mutual, categories, valid_from, valid_until, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [
      agreement.title,
      agreement.provider,
      agreement.recipient,
      significantPrefix(agreement.provider),
      significantPrefix(agreement.recipient),
      agreement.mutual,
      agreement.categories,
      agreement.validFrom,
      agreement.validUntil,
      agreement.createdBy,
    ],
  );
  return rows[0];
}

export async function findAgreement(db: Pool | PoolClient, id: string): Promise<AgreementRow | undefined> {
  const { rows } = await db.query<AgreementRow>(`SELECT ${COLUMNS} FROM directory.sharing_agreements WHERE id = $1`, [id]);
  return rows[0];
}

/** Revokes if not revoked yet; undefined when someone else revoked it first. */
export async function revokeAgreement(db: Pool | PoolClient, id: string, by: string, reason: string): Promise<AgreementRow | undefined> {
  const { rows } = await db.query<AgreementRow>(
    `UPDATE directory.sharing_agreements SET revoked_at = now(), revoked_by = $2, revocation_reason = $3
      WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    [id, by, reason],
  );
  return rows[0];
}

/** Newest first; `jurisdiction` keeps agreements it is a party of (either side, by prefix nesting). */
export async function listAgreements(
  db: Pool,
  filter: { jurisdiction?: string | null; activeOnly?: boolean | null },
  limit: number,
  after: KeysetPosition | undefined,
): Promise<AgreementRow[]> {
  const where = new SqlFilter()
    .add("(? LIKE provider_prefix || '%' OR ? LIKE recipient_prefix || '%' OR provider LIKE ? || '%' OR recipient LIKE ? || '%')", filter.jurisdiction, filter.jurisdiction, filter.jurisdiction && significantPrefix(filter.jurisdiction), filter.jurisdiction && significantPrefix(filter.jurisdiction))
    .add('(created_at, id) < (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
  if (filter.activeOnly) where.add('revoked_at IS NULL AND valid_from <= now() AND valid_until > now()');
  const { rows } = await db.query<AgreementRow>(
    `SELECT ${COLUMNS} FROM directory.sharing_agreements ${where.where} ORDER BY created_at DESC, id DESC LIMIT ${where.param(limit)}`,
    where.params,
  );
  return rows;
}

/**
 * What agreements in force open to officers of `jurisdiction` now: for each agreement whose
 * recipient contains the jurisdiction, its categories of the provider's data; and the other
 * way round for mutual ones.
 */
export async function grantsFor(db: Pool, jurisdiction: string): Promise<Grant[]> {
  const { rows } = await db.query<Grant>(
    `SELECT DISTINCT category, owner FROM (
       SELECT unnest(categories) AS category, provider AS owner FROM directory.sharing_agreements
        WHERE revoked_at IS NULL AND valid_from <= now() AND valid_until > now() AND $1 LIKE recipient_prefix || '%'
       UNION ALL
       SELECT unnest(categories), recipient FROM directory.sharing_agreements
        WHERE revoked_at IS NULL AND valid_from <= now() AND valid_until > now() AND mutual AND $1 LIKE provider_prefix || '%'
     ) opened ORDER BY owner, category`,
    [jurisdiction],
  );
  return rows;
}
