import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { ChainAnchor, verifyChain } from '../../auth/audit-chain';
import { parseGlobalId } from '../../auth/global-id';
import { Access } from '../shared/access';
import { requireActor } from '../shared/actor';
import { entriesAbout, readChain } from '../shared/audit-log';
import { auditRecord } from '../shared/audit-record';
import { badInput, hubError } from '../shared/errors';
import type { PersonnelContext } from './context';
import { LEGACY_PERSON_ACTIONS } from './legacy-person-audit';
import { accessTo } from './person-permissions';
import { AUDIT_TRAIL, AUDITORS } from './person-access-rules';
import { Officer } from './officer-types';
import { logger } from '../../platform/logger';

@ObjectType({ description: "One row of a region's audit log (审计日志): who read or changed what, why, when." })
export class AuditEntry {
  @Field(() => Int)
  seq!: number;

  @Field(() => Date)
  at!: Date;

  @Field(() => Officer, { nullable: true, description: 'The officer (null for a hub service).' })
  // A reader may be an officer of another region (a partner): the gateway fetches the officer from there.
  @Directive('@crossRegion')
  officer!: { id: string } | null;

  @Field(() => String, { description: 'Officer id as recorded (also services).' })
  officerId!: string;

  @Field(() => String)
  jurisdiction!: string;

  @Field(() => String, { description: 'READ (personal data shown in full) or CHANGE:<mutation>.' })
  action!: string;

  @Field(() => String, {
    description:
      'The record, as the chain holds it: its GraphQL type and global id (`Person:330400:5`); rows written before the type was recorded hold the global id alone.',
  })
  record!: string;

  @Field(() => [String])
  fields!: string[];

  @Field(() => String, { nullable: true })
  purpose!: string | null;

  @Field(() => String)
  requestId!: string;
}

@ObjectType({ description: "Whether a region's audit chain is intact, and where it breaks." })
export class AuditVerification {
  @Field(() => String)
  region!: string;

  @Field(() => Boolean)
  intact!: boolean;

  @Field(() => Int, { description: 'Rows checked.' })
  rows!: number;

  @Field(() => Int, { nullable: true, description: 'The first row that does not fit (edited, or after a deletion or insertion).' })
  firstBadSeq!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "The newest signed checkpoint the chain was checked against (kept outside the region's database); rows after it could be cut off unseen. Null before the first.",
  })
  lastCheckpointSeq!: number | null;
}

const CHECKPOINT = 'query($region: String!) { auditCheckpoint(region: $region) { token } }';

const isAuditor = (roles: string[]) => roles.includes('AUDITOR');

/** The region's newest checkpoint, from the hub's directory over the gateway (it cannot be in this database). */
async function newestCheckpointToken(ctx: PersonnelContext): Promise<string | null> {
  const unavailable = () => hubError('AUDIT_UNAVAILABLE', `the audit checkpoints of ${ctx.region}, kept by the hub, could not be read; retry shortly`);
  if (!ctx.auditChain.checkpoints) throw unavailable();
  const answer = await ctx.hub.execute<{ auditCheckpoint: { token: string } | null }>(CHECKPOINT, { region: ctx.region }).catch(() => undefined);
  if (!answer || answer.errors?.length || !answer.data) {
    logger.warn(`[audit] checkpoints of ${ctx.region} unreadable: ${answer?.errors?.[0]?.message ?? 'no answer from the hub'}`);
    throw unavailable();
  }
  return answer.data.auditCheckpoint?.token ?? null;
}

@Resolver()
export class AuditResolver {
  @Query(() => [AuditEntry], {
    description: "Who read or changed a person's record, newest first. For auditors of the region and officers of the person's home jurisdiction.",
  })
  @Directive('@routeBy(argument: "personId")')
  @Access(AUDIT_TRAIL)
  async auditTrail(@Ctx() ctx: PersonnelContext, @Arg('personId', () => ID) personId: string, @Arg('last', () => Int, { defaultValue: 50 }) last: number) {
    const actor = requireActor(ctx.actor);
    const parts = parseGlobalId(personId);
    if (!parts || parts.region !== ctx.region) throw badInput('personId', `${JSON.stringify(personId)} is not a person id of region ${ctx.region}`);
    if (!Number.isInteger(last) || last < 1 || last > 500) throw badInput('last', 'must be from 1 to 500');
    const person = await ctx.personById.load(parts.localId);
    if (!person) throw hubError('NOT_FOUND', `No person ${personId}`, { id: personId });
    const auditorHere = isAuditor(actor.roles) && actor.region === ctx.region;
    if (!auditorHere && !accessTo(person, ctx).insider) {
      throw hubError('FORBIDDEN', `who read ${personId} is for auditors of ${ctx.region} and officers of the person's home jurisdiction`);
    }
    // Named as the rows name it (the loaded record's id, as every writer has it), and the old rows only a person's could be.
    return (await entriesAbout(ctx.db, auditRecord('Person', person.id), last, { id: person.id, actions: LEGACY_PERSON_ACTIONS })).map((row) => ({
      ...row,
      at: new Date(row.at),
      officerId: row.officer,
      officer: parseGlobalId(row.officer) ? { id: row.officer } : null,
    }));
  }

  @Query(() => AuditVerification, { description: "Checks the region's audit hash chain (auditors of the region)." })
  @Directive('@routeBy(argument: "region")')
  @Access(AUDITORS)
  async auditVerification(@Ctx() ctx: PersonnelContext, @Arg('region', () => String) region: string): Promise<AuditVerification> {
    const actor = requireActor(ctx.actor);
    if (region !== ctx.region) throw badInput('region', `this instance serves region ${ctx.region}, not ${region}`);
    if (!isAuditor(actor.roles) || actor.region !== ctx.region)
      throw hubError('FORBIDDEN', `the audit chain of ${ctx.region} is checked by its auditors (role AUDITOR)`);
    const [rows, token] = await Promise.all([readChain(ctx.db), newestCheckpointToken(ctx)]);
    let checkpoint: ChainAnchor | null = null;
    if (token) {
      try {
        checkpoint = await ctx.auditChain.checkpoints!.verify(token, region);
      } catch {
        return {
          region,
          intact: false,
          rows: rows.length,
          firstBadSeq: null,
          reason: "its newest checkpoint does not carry the hub's checkpoint signature",
          lastCheckpointSeq: null,
        };
      }
    }
    const verdict = verifyChain(rows, ctx.auditChain.key, checkpoint);
    return verdict.ok
      ? { region, intact: true, rows: verdict.rows, firstBadSeq: null, reason: null, lastCheckpointSeq: verdict.lastCheckpointSeq }
      : { region, intact: false, rows: verdict.rows, firstBadSeq: verdict.firstBadSeq, reason: verdict.reason, lastCheckpointSeq: verdict.lastCheckpointSeq };
  }
}
