import DataLoader from 'dataloader';
import type { HubContext } from '../shared/context';
import { findChildren, findJurisdictions } from './jurisdiction-repository';
import type { Jurisdiction } from './types';

export interface DirectoryContext extends HubContext {
  jurisdictionByCode: DataLoader<string, Jurisdiction | undefined>;
  childrenOf: DataLoader<string, Jurisdiction[]>;
}

export function createDirectoryContext(base: HubContext): DirectoryContext {
  return {
    ...base,
    jurisdictionByCode: new DataLoader((codes) => findJurisdictions(base.db, codes)),
    childrenOf: new DataLoader((codes) => findChildren(base.db, codes)),
  };
}
