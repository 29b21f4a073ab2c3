import DataLoader from 'dataloader';
import type { RegionContext } from '../shared/context';
import { findInspections } from './inspection-repository';
import type { Inspection } from './types';

export interface EnforcementContext extends RegionContext {
  inspectionById: DataLoader<string, Inspection | undefined>;
}

export function createEnforcementContext(base: RegionContext): EnforcementContext {
  return { ...base, inspectionById: new DataLoader((localIds) => findInspections(base.db, base.region, localIds)) };
}
