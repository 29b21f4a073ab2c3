import type { Pool, PoolClient } from 'pg';
import { agencyName, AgencyKindName } from '../../auth/agencies';
import { toGlobalId } from '../../auth/global-id';
import type { AgencyKind } from '../shared/agency';
import type { KeysetPosition } from '../shared/pagination';
import { SqlFilter } from '../shared/sql-filter';
import { jurisdictionName } from '../shared/jurisdictions';
import { Officer, OfficerRole } from './officer-types';

type Queryable = Pool | PoolClient;

export interface OfficerRow {
  id: string;
  login: string;
  name: string;
  certificate_number: string | null;
  agency: AgencyKindName;
  jurisdiction: string;
  roles: OfficerRole[];
  phone: string | null;
  active: boolean;
  created_at: Date;
}

const COLUMNS = 'id, login, name, certificate_number, agency, jurisdiction, roles, phone, active, created_at';

export function toOfficer(region: string, row: OfficerRow): Officer {
  const place = jurisdictionName(row.jurisdiction) ?? jurisdictionName(row.jurisdiction.slice(0, 6)) ?? null;
  return {
    id: toGlobalId(region, row.id),
    region,
    login: row.login,
    name: row.name,
    certificateNumber: row.certificate_number,
    agency: row.agency,
    // An uncatalogued street keeps the code in the name, so that the agency stays recognisable.
    agencyName: agencyName(place ?? row.jurisdiction, row.agency, row.jurisdiction),
    jurisdiction: row.jurisdiction,
    jurisdictionName: place,
    roles: row.roles,
    phone: row.phone,
    active: row.active,
    createdAt: row.created_at,
  };
}

export function officerPosition(row: { created_at: Date; id: string }): KeysetPosition {
  return { sortKey: row.created_at.toISOString(), id: row.id };
}

export async function findOfficers(db: Queryable, ids: readonly string[]): Promise<Array<OfficerRow | undefined>> {
  const { rows } = await db.query<OfficerRow>(`SELECT ${COLUMNS} FROM personnel.officers WHERE id = ANY($1::bigint[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id));
}

export async function findOfficersByLogin(db: Queryable, logins: readonly string[]): Promise<Array<OfficerRow | undefined>> {
  const { rows } = await db.query<OfficerRow>(`SELECT ${COLUMNS} FROM personnel.officers WHERE login = ANY($1::text[])`, [logins]);
  const byLogin = new Map(rows.map((row) => [row.login, row]));
  return logins.map((login) => byLogin.get(login));
}

export interface OfficerFilter {
  agency?: AgencyKind | null;
  /** Jurisdiction code prefix: "3304", "330421". */
  jurisdiction?: string | null;
  role?: OfficerRole | null;
  active?: boolean | null;
}

/** Oldest first (the directory order); each filter has an index on (filter, created_at, id), roles a GIN index. */
export async function listOfficers(db: Pool, filter: OfficerFilter, limit: number, after: KeysetPosition | undefined): Promise<OfficerRow[]> {
  const where = new SqlFilter()
    .add('agency = ?', filter.agency)
    .add("jurisdiction LIKE ? || '%'", filter.jurisdiction)
    .add('roles @> ARRAY[?]::text[]', filter.role)
    .add('active = ?', filter.active)
    .add('(created_at, id) > (?::timestamptz, ?::bigint)', after?.sortKey, after?.id);
  const { rows } = await db.query<OfficerRow>(
    `SELECT ${COLUMNS} FROM personnel.officers ${where.where} ORDER BY created_at, id LIMIT ${where.param(limit)}`,
    where.params,
  );
  return rows;
}

export interface NewOfficer {
  login: string;
  name: string;
  certificateNumber: string | null;
  agency: AgencyKindName;
  jurisdiction: string;
  roles: OfficerRole[];
  phone: string | null;
}

/** The new row, or the column whose unique value is taken (login or certificate_number). */
export async function insertOfficer(client: PoolClient, officer: NewOfficer): Promise<OfficerRow | { taken: 'login' | 'certificate_number'; by: string }> {
  const { rows: clashes } = await client.query<{ id: string; login: string }>(
    'SELECT id, login FROM personnel.officers WHERE login = $1 OR certificate_number = $2 LIMIT 1',
    [officer.login, officer.certificateNumber],
  );
  if (clashes[0]) return { taken: clashes[0].login === officer.login ? 'login' : 'certificate_number', by: clashes[0].id };
  const { rows } = await client.query<OfficerRow>(
    `INSERT INTO personnel.officers (login, name, certificate_number, agency, jurisdiction, roles, phone)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${COLUMNS}`,
    [officer.login, officer.name, officer.certificateNumber, officer.agency, officer.jurisdiction, officer.roles, officer.phone],
  );
  return rows[0];
}

/** Compare-and-set on `active`: undefined when the officer does not exist or is already so. */
export async function setOfficerActive(client: PoolClient, id: string, active: boolean): Promise<OfficerRow | undefined> {
  const { rows } = await client.query<OfficerRow>(`UPDATE personnel.officers SET active = $2 WHERE id = $1 AND active <> $2 RETURNING ${COLUMNS}`, [
    id,
    active,
  ]);
  return rows[0];
}
