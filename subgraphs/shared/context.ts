import type { Pool } from 'pg';
import type { Actor } from './actor';
import type { HubLink } from './hub-link';
import type { AuditChain, RequestAudit } from './audit-log';

export interface RegionSummary {
  code: string;
  name: string;
}

/** What every subgraph resolver knows: its database and the regions of the hub. */
export interface HubContext {
  db: Pool;
  regions: readonly RegionSummary[];
  /** The gateway, for work that must reach another region. */
  hub: HubLink;
  /** The officer acting in this request, if one is named. */
  actor: Actor | null;
  /** What this request must leave in the region's audit log. */
  audit: RequestAudit;
  /** The key this database's audit chain is kept under, and who hears of new rows. */
  auditChain: AuditChain;
}

/** A regional subgraph instance serves exactly one region's database. */
export interface RegionContext extends HubContext {
  /** The region code this instance serves, e.g. "330400". */
  region: string;
  regionName: string;
}
