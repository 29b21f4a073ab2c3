import type { Pool } from 'pg';
import { DELTA_JURISDICTIONS } from '../../auth/delta-jurisdictions';
import { levelOf, significantPrefix } from '../../auth/jurisdiction';
import { DEMO_EPOCH } from '../shared/random';
import { seedOnce } from '../shared/seed-once';
import type { SeedOptions } from '../shared/subgraph-module';

/**
 * What the Delta's collaboration needs, signed for the demo: petition warnings, basic person
 * data and inspections shared among all configured cities; petition details and personal data
 * only between Jiaxing and Suzhou and among the demonstration zone's three counties (青浦, 吴江,
 * 嘉善), so that masking shows everywhere else. Each is signed by both parties, as an agreement
 * must be to take effect.
 */
function demoAgreements(regionCodes: string[], known: Set<string>) {
  const everyone = regionCodes.flatMap((a, i) =>
    regionCodes.slice(i + 1).map((b) => ({ title: '长三角信访预警与人员基本信息共享协议', provider: a, recipient: b, categories: ['PETITION_WARNINGS', 'PERSON_BASIC', 'INSPECTIONS'] })),
  );
  const personal = [
    ['330400', '320500', '嘉苏信访协同与个人信息共享协议'],
    ['310118', '320509', '示范区（青浦—吴江）个人信息共享协议'],
    ['310118', '330421', '示范区（青浦—嘉善）个人信息共享协议'],
    ['320509', '330421', '示范区（吴江—嘉善）个人信息共享协议'],
  ]
    .filter(([a, b]) => known.has(a) && known.has(b))
    .map(([provider, recipient, title]) => ({ title, provider, recipient, categories: ['PETITION_DETAILS', 'PERSON_PERSONAL'] }));
  return [...everyone, ...personal];
}

/** The jurisdiction tree: reference data, the same on every machine. */
export async function seedDirectory(db: Pool, _region: unknown, options: SeedOptions): Promise<void> {
  await seedOnce(db, 'directory', options.seed, async (client) => {
    // Parents first, so that the foreign key holds row by row.
    const ordered = [...DELTA_JURISDICTIONS].sort((a, b) => (a.parent ? 1 : 0) - (b.parent ? 1 : 0) || a.code.localeCompare(b.code));
    await client.query(
      `INSERT INTO directory.jurisdictions (code, name, level, parent_code, note)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        ordered.map((j) => j.code),
        ordered.map((j) => j.name),
        ordered.map((j) => levelOf(j.code)),
        ordered.map((j) => j.parent),
        ordered.map((j) => j.note ?? null),
      ],
    );
    const known = new Set(ordered.map((j) => j.code));
    const agreements = demoAgreements(options.regions.map((r) => r.code).filter((code) => known.has(code)), known);
    await client.query(
      `INSERT INTO directory.sharing_agreements (title, provider, recipient, provider_prefix, recipient_prefix, mutual, categories, valid_from, valid_until, created_by,
                                                provider_signed_by, provider_signed_at, recipient_signed_by, recipient_signed_at)
       SELECT title, provider, recipient, provider_prefix, recipient_prefix, true, string_to_array(categories, ','), $7::timestamptz, $8::timestamptz, 'demo seed',
              'demo seed', $7::timestamptz, 'demo seed', $7::timestamptz
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS a(title, provider, recipient, provider_prefix, recipient_prefix, categories)`,
      [
        agreements.map((a) => a.title),
        agreements.map((a) => a.provider),
        agreements.map((a) => a.recipient),
        agreements.map((a) => significantPrefix(a.provider)),
        agreements.map((a) => significantPrefix(a.recipient)),
        agreements.map((a) => a.categories.join(',')),
        new Date(DEMO_EPOCH - 365 * 86_400_000),
        new Date(DEMO_EPOCH + 5 * 365 * 86_400_000),
      ],
    );
  });
}
