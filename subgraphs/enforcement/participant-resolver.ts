import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { EnforcementContext } from './context';
import { InspectionParticipant } from './inspection-types';
import { InspectionTask } from './task-types';

@Resolver(() => InspectionParticipant)
export class ParticipantResolver {
  @FieldResolver(() => InspectionTask, {
    nullable: true,
    description: "The participant's task, read from the participant's region; null before dispatch, and (with a REGION_UNAVAILABLE error) while that region cannot be reached.",
  })
  task(@Root() participant: InspectionParticipant, @Ctx() ctx: EnforcementContext, @Info() info: GraphQLResolveInfo) {
    return participant.taskId ? ctx.taskAnywhere(participant.taskId, info) : null;
  }
}
