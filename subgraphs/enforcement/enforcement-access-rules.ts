import { contains } from '../../auth/jurisdiction';
import { accessCatalogue, AccessRule, ENFORCEMENT_WORK_ROLES, sharedRecordRule } from '../shared/access';
import { authenticated } from '../shared/permissions';
import type { Inspection } from './inspection-types';
import type { InspectionTask } from './task-types';

/**
 * The enforcement subgraph's rules, each named by `@access` on what it guards. An inspection is
 * seen by officers of its lead jurisdiction or city and by partners holding INSPECTIONS; a task
 * by officers of its jurisdiction or city, partners holding INSPECTIONS for it, and the lead
 * region's officers. Lists leave out the rest (the same rule as SQL prefixes).
 */
export const INSPECTION_CATEGORIES = ['INSPECTIONS'] as const;

export const INSPECTION = sharedRecordRule({
  name: 'INSPECTION',
  words: 'For officers of the lead jurisdiction or its city and partners holding INSPECTIONS; FORBIDDEN otherwise.',
  kind: 'Inspection',
  jurisdictionOf: (inspection: Inspection) => inspection.leadJurisdiction,
  categories: INSPECTION_CATEGORIES,
});

export const INSPECTION_TASK = sharedRecordRule({
  name: 'INSPECTION_TASK',
  words: "For officers of the task's jurisdiction or its city, partners holding INSPECTIONS, and the lead region's officers; FORBIDDEN otherwise.",
  kind: 'Inspection task',
  jurisdictionOf: (task: InspectionTask) => task.jurisdiction,
  categories: INSPECTION_CATEGORIES,
  alsoSeenBy: (task, caller) => contains(task.leadRegion, caller.jurisdiction),
});

export const LEAD_AGENCY_WORK: AccessRule = {
  name: 'LEAD_AGENCY_WORK',
  words: 'For officers of the lead agency in the lead jurisdiction or its city.',
  roles: ENFORCEMENT_WORK_ROLES,
  guard: authenticated,
};
export const JOINING_AGENCY_WORK: AccessRule = {
  name: 'JOINING_AGENCY_WORK',
  words: 'For officers of the joining agency in its jurisdiction or its city.',
  roles: ENFORCEMENT_WORK_ROLES,
  guard: authenticated,
};
export const TASK_AGENCY_WORK: AccessRule = {
  name: 'TASK_AGENCY_WORK',
  words: "For officers of the task's agency in its jurisdiction or its city.",
  roles: ENFORCEMENT_WORK_ROLES,
  guard: authenticated,
};
export const HUB_DELIVERY: AccessRule = {
  name: 'HUB_DELIVERY',
  words: 'Hub-internal: sent between regions by the outbox relay.',
  roles: ['SERVICE'],
  guard: authenticated,
};

export const ENFORCEMENT_ACCESS = accessCatalogue(INSPECTION, INSPECTION_TASK, LEAD_AGENCY_WORK, JOINING_AGENCY_WORK, TASK_AGENCY_WORK, HUB_DELIVERY);
