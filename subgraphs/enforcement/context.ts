import DataLoader from 'dataloader';
import type { RegionContext } from '../shared/context';
import { findInspections, listStepEntries, toInspection } from './inspection-repository';
import type { Inspection, InspectionStepEntry } from './inspection-types';
import { listParticipants, ParticipantRow } from './participant-repository';
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
}

/** Per request: every lookup by key and every one-to-many link is one statement per batch. */
export function createEnforcementContext(base: RegionContext): EnforcementContext {
  const { db, region } = base;
  const inspectionById = new DataLoader(async (ids: readonly string[]) => (await findInspections(db, ids)).map((row) => row && toInspection(region, row)));
  const taskById = new DataLoader(async (ids: readonly string[]) => (await findTasks(db, ids)).map((row) => row && toTask(region, row)));
  return {
    ...base,
    inspectionById,
    participantsOf: new DataLoader((ids) => listParticipants(db, ids)),
    timelineOf: new DataLoader((ids) => listStepEntries(db, ids)),
    scenarioByCode: new DataLoader((codes) => findScenarios(db, codes)),
    taskById,
    findingsOf: new DataLoader((ids) => listFindings(db, region, ids)),
  };
}
