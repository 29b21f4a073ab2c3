import DataLoader from 'dataloader';
import type { RegionContext } from '../shared/context';
import { findPersons } from './person-repository';
import type { Person } from './types';

export interface PersonnelContext extends RegionContext {
  personById: DataLoader<string, Person | undefined>;
}

export function createPersonnelContext(base: RegionContext): PersonnelContext {
  return { ...base, personById: new DataLoader((localIds) => findPersons(base.db, base.region, localIds)) };
}
