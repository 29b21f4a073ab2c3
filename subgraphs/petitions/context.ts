import DataLoader from 'dataloader';
import type { RegionContext } from '../shared/context';
import { findWarnings, toWarning } from './warning-repository';
import type { PetitionWarning } from './types';

export interface PetitionsContext extends RegionContext {
  warningById: DataLoader<string, PetitionWarning | undefined>;
}

/** Per request: loaders batch every lookup by key into one statement. */
export function createPetitionsContext(base: RegionContext): PetitionsContext {
  return {
    ...base,
    warningById: new DataLoader(async (localIds) =>
      (await findWarnings(base.db, localIds)).map((row) => (row ? toWarning(base.region, row) : undefined)),
    ),
  };
}
