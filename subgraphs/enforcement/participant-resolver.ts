import { Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { InspectionParticipant } from './inspection-types';
import { InspectionTask } from './task-types';

@Resolver(() => InspectionParticipant)
export class ParticipantResolver {
  @FieldResolver(() => InspectionTask, {
    nullable: true,
    description:
      "The participant's task, read from the participant's region; null before dispatch, and (with a REGION_UNAVAILABLE error) while that region cannot be reached.",
  })
  // The task lives in the participant's region: this region gives its key, the gateway fetches it from there.
  @Directive('@crossRegion')
  task(@Root() participant: InspectionParticipant): Pick<InspectionTask, 'id'> | null {
    return participant.taskId ? { id: participant.taskId } : null;
  }
}
