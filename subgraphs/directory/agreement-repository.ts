import type { Pool, PoolClient } from 'pg';
import type { Grant } from '../../auth/context-token';
import { parseGlobalId } from '../../auth/global-id';
import { significantPrefix } from '../../auth/jurisdiction';
import type { KeysetPosition } from '../shared/pagination';
import { SqlFilter } from '../shared/sql-filter';
import type { SharingAgreement, SharingAgreementStatus, SharingCategory } from './agreement-types';

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
  provider_signed_by: string | null;
  provider_signed_at: Date | null;
  recipient_signed_by: string | null;
  recipient_signed_at: Date | null;
}

/** The two parties of an agreement, as the columns name them. */
export type Party = 'provider' | 'recipient';

const COLUMNS =
  'id, title, provider, recipient, mutual, categories, valid_from, valid_until, created_by, created_at, revoked_at, revoked_by, revocation_reason, provider_signed_by, provider_signed_at, recipient_signed_by, recipient_signed_at';

/**
 * In force now: signed by both parties, begun, not expired, not revoked. Both, even one way:
 * the provider opens its data, and the recipient takes on keeping it. The one statement of the
 * rule in SQL; `statusOf` below is the same rule for one row.
 */
const IN_FORCE = 'revoked_at IS NULL AND valid_from <= now() AND valid_until > now() AND provider_signed_at IS NOT NULL AND recipient_signed_at IS NOT NULL';

/** The parties whose signature the agreement still needs before it takes effect. */
export function awaitingSignature(row: AgreementRow): Party[] {
  return (['provider', 'recipient'] as const).filter((party) => !row[`${party}_signed_at`]);
}

export function statusOf(row: AgreementRow, now = new Date()): SharingAgreementStatus {
  if (row.revoked_at) return 'REVOKED';
  if (row.valid_until <= now) return 'EXPIRED';
  if (awaitingSignature(row).length > 0) return 'PROPOSED';
  return row.valid_from <= now ? 'ACTIVE' : 'SCHEDULED';
}

const officerRef = (id: string | null) => (id && parseGlobalId(id) ? { id } : null);

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
    createdBy: officerRef(row.created_by),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by ? { id: row.revoked_by } : null,
    revocationReason: row.revocation_reason,
    status: statusOf(row, now),
    active: statusOf(row, now) === 'ACTIVE',
    signatures: (['provider', 'recipient'] as const).flatMap((party) => {
      const signedAt = row[`${party}_signed_at`];
      return signedAt ? [{ party: row[party], signedBy: officerRef(row[`${party}_signed_by`]), signedAt }] : [];
    }),
    awaitingSignatureOf: awaitingSignature(row).map((party) => row[party]),
  };
}

export const agreementPosition = (row: AgreementRow): KeysetPosition => ({ sortKey: row.created_at.toISOString(), id: row.id });

/** A proposal, signed by its creator for `signedFor`, the party the creator administers. */
export async function insertAgreement(
  client: PoolClient | Pool,
  agreement: {
    title: string;
    provider: string;
    recipient: string;
    mutual: boolean;
    categories: SharingCategory[];
    validFrom: Date;
    validUntil: Date;
    createdBy: string;
    signedFor: Party;
  },
): Promise<AgreementRow> {
  const signer = agreement.signedFor === 'provider' ? 'provider_signed_by, provider_signed_at' : 'recipient_signed_by, recipient_signed_at';
  const { rows } = await client.query<AgreementRow>(
    `INSERT INTO directory.sharing_agreements (title, provider, recipient, provider_prefix, recipient_prefix, mutual, categories, valid_from, valid_until, created_by, ${signer})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, now()) RETURNING ${COLUMNS}`,
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

/**
 * Signs for `party` if nobody has yet and the agreement is neither revoked nor expired;
 * undefined otherwise (someone else signed or revoked it first). Only that party's columns are
 * written, so a signature for the other party at the same moment is kept.
 */
export async function signAgreement(db: Pool | PoolClient, id: string, party: Party, by: string): Promise<AgreementRow | undefined> {
  const { rows } = await db.query<AgreementRow>(
    `UPDATE directory.sharing_agreements SET ${party}_signed_by = $2, ${party}_signed_at = now()
      WHERE id = $1 AND ${party}_signed_at IS NULL AND revoked_at IS NULL AND valid_until > now() RETURNING ${COLUMNS}`,
    [id, by],
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
    .add(
      "(? LIKE provider_prefix || '%' OR ? LIKE recipient_prefix || '%' OR provider LIKE ? || '%' OR recipient LIKE ? || '%')",
      filter.jurisdiction,
      filter.jurisdiction,
      filter.jurisdiction && significantPrefix(filter.jurisdiction),
      filter.jurisdiction && significantPrefix(filter.jurisdiction),
    )
    .add('(created_at, id) < (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
  if (filter.activeOnly) where.add(IN_FORCE);
  const { rows } = await db.query<AgreementRow>(
    `SELECT ${COLUMNS} FROM directory.sharing_agreements ${where.where} ORDER BY created_at DESC, id DESC LIMIT ${where.param(limit)}`,
    where.params,
  );
  return rows;
}

/**
 * What agreements in force (signed by both parties) give officers of `jurisdiction`
 * now: for each agreement whose
 * recipient contains the jurisdiction, its categories of the provider's data; and the other
 * way round for mutual ones.
 */
export async function grantsFor(db: Pool, jurisdiction: string): Promise<Grant[]> {
  const { rows } = await db.query<Grant>(
    `SELECT DISTINCT category, owner FROM (
       SELECT unnest(categories) AS category, provider AS owner FROM directory.sharing_agreements
        WHERE ${IN_FORCE} AND $1 LIKE recipient_prefix || '%'
       UNION ALL
       SELECT unnest(categories), recipient FROM directory.sharing_agreements
        WHERE ${IN_FORCE} AND mutual AND $1 LIKE provider_prefix || '%'
     ) opened ORDER BY owner, category`,
    [jurisdiction],
  );
  return rows;
}
