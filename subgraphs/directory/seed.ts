import type { Pool, PoolClient } from 'pg';
import { DELTA_JURISDICTIONS } from '../../auth/delta-jurisdictions';
import { toGlobalId } from '../../auth/global-id';
import { levelOf, owningRegion, significantPrefix } from '../../auth/jurisdiction';
import { inTransaction } from '../shared/db';
import { demoDutyOfficerIds } from '../shared/demo-officers';
import { DEMO_EPOCH } from '../shared/random';
import type { SeedOptions } from '../shared/subgraph-module';

interface DemoAgreement {
  title: string;
  provider: string;
  recipient: string;
  categories: string[];
}

const EVERY_CITY_AGREEMENT = '长三角信访预警与人员基本信息共享协议';

/**
 * What the Delta's collaboration needs, signed for the demo: petition warnings, basic person
 * data and inspections shared among all configured cities; petition details and personal data
 * only between Jiaxing and Suzhou and among the demonstration zone's three counties (青浦, 吴江,
 * 嘉善), so that masking shows everywhere else (each where both parties' cities are configured).
 */
function demoAgreements(regionCodes: readonly string[], known: ReadonlySet<string>): DemoAgreement[] {
  const served = (code: string) => known.has(code) && owningRegion(code, regionCodes) !== undefined;
  const everyone = regionCodes.flatMap((a, i) =>
    regionCodes
      .slice(i + 1)
      .map((b) => ({ title: EVERY_CITY_AGREEMENT, provider: a, recipient: b, categories: ['PETITION_WARNINGS', 'PERSON_BASIC', 'INSPECTIONS'] })),
  );
  const personal = [
    ['330400', '320500', '嘉苏信访协同与个人信息共享协议'],
    ['310118', '320509', '示范区（青浦—吴江）个人信息共享协议'],
    ['310118', '330421', '示范区（青浦—嘉善）个人信息共享协议'],
    ['320509', '330421', '示范区（吴江—嘉善）个人信息共享协议'],
  ]
    .filter(([a, b]) => served(a) && served(b))
    .map(([provider, recipient, title]) => ({ title, provider, recipient, categories: ['PETITION_DETAILS', 'PERSON_PERSONAL'] }));
  return [...everyone, ...personal];
}

/**
 * The jurisdiction tree from the catalogue (auth/gbt2260-yrd.tsv): reference data, the same on
 * every machine. Written at every start, so that a database seeded with an older catalogue
 * gains the codes added since (a city added to regions.yaml finds its counties); a code the
 * catalogue no longer lists is kept, since records and agreements may still name it.
 */
async function loadCatalogue(client: PoolClient): Promise<void> {
  // Parents first, so that the foreign key holds row by row.
  const ordered = [...DELTA_JURISDICTIONS].sort((a, b) => (a.parent ? 1 : 0) - (b.parent ? 1 : 0) || a.code.localeCompare(b.code));
  await client.query(
    `INSERT INTO directory.jurisdictions AS j (code, name, level, parent_code, note)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code, note = EXCLUDED.note
      WHERE (j.name, j.level, j.parent_code, j.note) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_code, EXCLUDED.note)`,
    [
      ordered.map((j) => j.code),
      ordered.map((j) => j.name),
      ordered.map((j) => levelOf(j.code)),
      ordered.map((j) => j.parent),
      ordered.map((j) => j.note ?? null),
    ],
  );
}

/**
 * The demo agreements among the configured cities that are not there yet: all of them on the
 * first start, and a city's with every other one when it is added to regions.yaml later, so a
 * new city sees and is seen like the others. A pair that has its agreement (in force or
 * revoked by an administrator since) is left alone. Each is signed by both parties, as an
 * agreement must be to take effect: by the demo agreements administrator of the city each
 * party lies in.
 */
async function addDemoAgreements(client: PoolClient, options: SeedOptions, known: ReadonlySet<string>): Promise<void> {
  const regionCodes = options.regions.map((r) => r.code).filter((code) => known.has(code));
  const administrator = (party: string) => {
    const region = owningRegion(party, regionCodes)!; // every party lies in a configured city
    return toGlobalId(region, demoDutyOfficerIds(options.scaleOf(region).officersPerAgency).agreements);
  };
  const agreements = demoAgreements(regionCodes, known);
  const signedAt = new Date(DEMO_EPOCH - 365 * 86_400_000);
  await client.query(
    `INSERT INTO directory.sharing_agreements (title, provider, recipient, provider_prefix, recipient_prefix, mutual, categories, valid_from, valid_until, created_by,
                                              provider_signed_by, provider_signed_at, recipient_signed_by, recipient_signed_at)
     SELECT title, provider, recipient, provider_prefix, recipient_prefix, true, string_to_array(categories, ','), $9::timestamptz, $10::timestamptz, provider_admin,
            provider_admin, $9::timestamptz, recipient_admin, $9::timestamptz
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
            AS a(title, provider, recipient, provider_prefix, recipient_prefix, categories, provider_admin, recipient_admin)
      WHERE NOT EXISTS (
        SELECT 1 FROM directory.sharing_agreements s
         WHERE s.title = a.title AND ((s.provider = a.provider AND s.recipient = a.recipient) OR (s.provider = a.recipient AND s.recipient = a.provider)))`,
    [
      agreements.map((a) => a.title),
      agreements.map((a) => a.provider),
      agreements.map((a) => a.recipient),
      agreements.map((a) => significantPrefix(a.provider)),
      agreements.map((a) => significantPrefix(a.recipient)),
      agreements.map((a) => a.categories.join(',')),
      agreements.map((a) => administrator(a.provider)),
      agreements.map((a) => administrator(a.recipient)),
      signedAt,
      new Date(DEMO_EPOCH + 5 * 365 * 86_400_000),
    ],
  );
}

/** The jurisdiction tree and the demo agreements, brought up to date with the catalogue and regions.yaml at every start. */
export async function seedDirectory(db: Pool, _region: unknown, options: SeedOptions): Promise<void> {
  await inTransaction(db, async (client) => {
    // Hubs starting on the same database at once take turns.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('directory.seed'))");
    await loadCatalogue(client);
    await addDemoAgreements(client, options, new Set(DELTA_JURISDICTIONS.map((j) => j.code)));
  });
}
