import DataLoader from 'dataloader';
import type { RegionContext } from '../shared/context';
import { findOfficers, findOfficersByLogin, toOfficer } from './officer-repository';
import type { Officer } from './officer-types';
import { findPersons, findPersonsByIdNumber, toPerson } from './person-repository';
import { listMovesOfPersons } from './person-move-repository';
import type { Person, PersonMove, PersonTag, PersonTagEvent } from './person-types';
import { listTagEventsOfPersons, listTagsOfPersons } from './tag-repository';

export interface PersonnelContext extends RegionContext {
  personById: DataLoader<string, Person | undefined>;
  personByIdNumber: DataLoader<string, Person | undefined>;
  tagsOfPerson: DataLoader<string, PersonTag[]>;
  tagHistoryOfPerson: DataLoader<string, PersonTagEvent[]>;
  movesOfPerson: DataLoader<string, PersonMove[]>;
  officerById: DataLoader<string, Officer | undefined>;
  officerByLogin: DataLoader<string, Officer | undefined>;
}

/**
 * Per request: every lookup by key and every one-to-many link is one statement per batch, so
 * resolving 1 or 50 persons (with their categories and the officers who gave them) costs the
 * same number of statements. Keys are local ids, the persons' and officers' own.
 */
export function createPersonnelContext(base: RegionContext): PersonnelContext {
  const { db, region } = base;
  return {
    ...base,
    personById: new DataLoader(async (ids) => (await findPersons(db, ids)).map((row) => row && toPerson(region, row))),
    personByIdNumber: new DataLoader(async (numbers) => (await findPersonsByIdNumber(db, numbers)).map((row) => row && toPerson(region, row))),
    tagsOfPerson: new DataLoader((ids) => listTagsOfPersons(db, ids)),
    tagHistoryOfPerson: new DataLoader((ids) => listTagEventsOfPersons(db, ids)),
    movesOfPerson: new DataLoader((ids) => listMovesOfPersons(db, ids)),
    officerById: new DataLoader(async (ids) => (await findOfficers(db, ids)).map((row) => row && toOfficer(region, row))),
    officerByLogin: new DataLoader(async (logins) => (await findOfficersByLogin(db, logins)).map((row) => row && toOfficer(region, row))),
  };
}
