import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { parseGlobalId } from '../../auth/global-id';
import type { RegionContext } from '../shared/context';
import { findInspections, listStepEntries, toInspection } from './inspection-repository';
import type { Inspection, InspectionStepEntry } from './inspection-types';
import { listParticipants, ParticipantRow } from './participant-repository';
import { remoteEntityLoader } from './remote-entities';
import { findScenarios } from './scenario-repository';
import type { InspectionScenario } from './scenario-types';
import { findTasks, listFindings, toTask } from './task-repository';
import type { InspectionTask, TaskFinding } from './task-types';

export interface EnforcementContext extends RegionContext {
  inspectionById: DataLoader<string, Inspection | undefined>;
  participantsOf: DataLoader<string, ParticipantRow[]>;
  timelineOf: DataLoader<string, InspectionStepEntry[]>;
  scenarioByCode: DataLoader<string, InspectionScenario | undefined>;
  taskById: DataLoader<string, InspectionTask | undefined>;
  findingsOf: DataLoader<string, TaskFinding[]>;
  /** An inspection by global id, from this region's database or through the hub from its lead region. */
  inspectionAnywhere(id: string, info: GraphQLResolveInfo): Promise<object | null>;
  /** A task by global id, from this region's database or through the hub from the participant's region. */
  taskAnywhere(id: string, info: GraphQLResolveInfo): Promise<object | null>;
}

/** Per request: every lookup by key and every one-to-many link is one statement per batch. */
export function createEnforcementContext(base: RegionContext): EnforcementContext {
  const { db, region } = base;
  const headers: Record<string, string> = base.actor ? { 'x-officer': base.actor.officerId } : {};
  const remoteInspections = remoteEntityLoader(base.hub, 'inspectionsById', headers);
  const remoteTasks = remoteEntityLoader(base.hub, 'inspectionTasksById', headers);
  const inspectionById = new DataLoader(async (ids: readonly string[]) => (await findInspections(db, ids)).map((row) => row && toInspection(region, row)));
  const taskById = new DataLoader(async (ids: readonly string[]) => (await findTasks(db, ids)).map((row) => row && toTask(region, row)));
  const here = (id: string) => {
    const parts = parseGlobalId(id);
    return parts && parts.region === region ? parts.localId : undefined;
  };
  return {
    ...base,
    inspectionById,
    participantsOf: new DataLoader((ids) => listParticipants(db, ids)),
    timelineOf: new DataLoader((ids) => listStepEntries(db, ids)),
    scenarioByCode: new DataLoader((codes) => findScenarios(db, codes)),
    taskById,
    findingsOf: new DataLoader((ids) => listFindings(db, ids)),
    inspectionAnywhere: async (id, info) => {
      const localId = here(id);
      return localId ? (await inspectionById.load(localId)) ?? null : remoteInspections.load(id, info);
    },
    taskAnywhere: async (id, info) => {
      const localId = here(id);
      return localId ? (await taskById.load(localId)) ?? null : remoteTasks.load(id, info);
    },
  };
}
