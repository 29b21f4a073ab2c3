import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Access } from '../shared/access';
import { AUDIT_CHECKPOINT_READERS } from './directory-access-rules';
import { requireActor } from '../shared/actor';
import { badInput, hubError } from '../shared/errors';
import type { DirectoryContext } from './context';

@ObjectType({ description: "The newest signed checkpoint of a region's audit chain head, kept in the hub's database, outside the region's." })
export class AuditCheckpoint {
  @Field(() => String)
  region!: string;

  @Field(() => Int)
  seq!: number;

  @Field(() => String, { description: 'The checkpoint as signed by the hub (a JWS): check it with the checkpoint key, not by trusting this store.' })
  token!: string;
}

/** Where a region's verifier finds the checkpoints its own database cannot hold (the launcher writes them). */
@Resolver()
export class AuditCheckpointResolver {
  @Query(() => AuditCheckpoint, {
    nullable: true,
    description: "The newest checkpoint of a region's audit chain (the region's hub service and auditors); null before the first.",
  })
  @Access(AUDIT_CHECKPOINT_READERS)
  async auditCheckpoint(@Ctx() ctx: DirectoryContext, @Arg('region', () => String) region: string): Promise<AuditCheckpoint | null> {
    const actor = requireActor(ctx.actor);
    if (!/^\d{6}$/.test(region)) throw badInput('region', 'must be a 6-digit region code');
    const entitled = (actor.roles.includes('SERVICE') || actor.roles.includes('AUDITOR')) && actor.region === region;
    if (!entitled) throw hubError('FORBIDDEN', `the audit checkpoints of ${region} are read by its hub service and its auditors`);
    const { rows } = await ctx.db.query<{ seq: string; token: string }>(
      'SELECT seq, token FROM audit_witness.checkpoints WHERE region = $1 ORDER BY seq DESC LIMIT 1',
      [region],
    );
    return rows[0] ? { region, seq: Number(rows[0].seq), token: rows[0].token } : null;
  }
}
