import type { PoolClient } from 'pg';
import { requireActor } from './actor';
import { appendAudit } from './audit-log';
import type { AuditRecord } from './audit-record';
import type { HubContext } from './context';
import { inTransaction } from './db';
import { hubError } from './errors';
import { auditFailures, metricsOn } from '../../platform/metrics';

/**
 * How a mutation changes its database: `work` runs in one transaction and the change's audit
 * row (`CHANGE:<mutation>`, about the record `recordOf` names with its type (audit-record.ts),
 * whatever the client selected)
 * is appended in that same transaction, last, so that the chain's lock is held only for the
 * commit. The change and its row commit together or not at all: a refused or failed change
 * leaves no row, and no committed change lacks one. The audit plugin checks that every
 * mutation field that succeeded went through here. A change that also alters other records (a
 * pass-down moves the petition's warnings) names them in `alsoChanged`, each with its own row.
 */
export async function auditedChange<T>(
  ctx: HubContext,
  mutation: string,
  work: (client: PoolClient) => Promise<T>,
  recordOf: (result: T) => AuditRecord,
  alsoChanged?: (result: T) => ReadonlyArray<{ record: AuditRecord; fields: string[] }>,
): Promise<T> {
  const actor = requireActor(ctx.actor);
  const { result, seq } = await inTransaction(ctx.db, async (client) => {
    const result = await work(client);
    const entries = [{ record: recordOf(result), fields: [mutation] }, ...(alsoChanged?.(result) ?? [])].map((entry) => ({
      action: `CHANGE:${mutation}`,
      ...entry,
    }));
    const seq = await appendAudit(client, ctx.auditChain, actor, entries).catch((error: Error) => {
      if (metricsOn) auditFailures.labels((ctx as { region?: string }).region ?? 'hub', 'change').inc();
      console.warn(`[audit] ${mutation} rolled back, its audit row could not be written: ${error.message}`);
      throw hubError('AUDIT_UNAVAILABLE', `${mutation} was not made: its audit row could not be written; retry shortly`);
    });
    return { result, seq };
  });
  ctx.audit.changed.add(mutation);
  ctx.auditChain.appended?.(seq);
  return result;
}
