import { allow } from 'graphql-shield';
import { maySee } from '../../auth/record-policy';
import { contains } from '../../auth/jurisdiction';
import { authenticated, FEDERATION_RULES, forbidden, notShared, recordRule } from '../shared/permissions';
import type { EnforcementContext } from './context';
import type { Inspection } from './inspection-types';
import type { InspectionTask } from './task-types';

/**
 * The enforcement subgraph's field rules, per record. An inspection is seen by officers of its
 * lead jurisdiction or city and by partners holding INSPECTIONS; a task by officers of its
 * jurisdiction or city, partners holding INSPECTIONS for it, and the lead region's officers.
 * Lists leave out the rest (the same rule as SQL prefixes).
 */
export const INSPECTION_CATEGORIES = ['INSPECTIONS'] as const;

const inspectionVisible = recordRule((inspection: Inspection, _args, ctx: EnforcementContext) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return maySee(ctx.actor, inspection.leadJurisdiction, INSPECTION_CATEGORIES)
    ? true
    : notShared('Inspection', inspection.id, ctx.actor.jurisdiction);
});

const taskVisible = recordRule((task: InspectionTask, _args, ctx: EnforcementContext) => {
  if (!ctx.actor) return forbidden('this needs a verified caller');
  return maySee(ctx.actor, task.jurisdiction, INSPECTION_CATEGORIES) || contains(task.leadRegion, ctx.actor.jurisdiction)
    ? true
    : notShared('Inspection task', task.id, ctx.actor.jurisdiction);
});

export const ENFORCEMENT_RULES = {
  ...FEDERATION_RULES,
  Query: { ...FEDERATION_RULES.Query, '*': authenticated },
  Mutation: { '*': authenticated },
  Inspection: { '*': inspectionVisible, id: authenticated, region: authenticated, plannedAt: authenticated },
  InspectionTask: { '*': taskVisible, id: authenticated, region: authenticated, plannedAt: authenticated },
  InspectionScenario: authenticated,
  InspectionConnection: authenticated,
  InspectionEdge: authenticated,
  InspectionTaskConnection: authenticated,
  InspectionTaskEdge: authenticated,
  InspectionTarget: authenticated,
  InspectionEvaluation: authenticated,
  InspectionParticipant: authenticated,
  InspectionStepEntry: authenticated,
  TaskFinding: authenticated,
  Officer: authenticated,
  PageInfo: authenticated,
  _Service: allow,
};
