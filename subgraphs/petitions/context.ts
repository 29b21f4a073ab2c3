import DataLoader from 'dataloader';
import { visiblePrefixes } from '../../auth/record-policy';
import { PETITION_CATEGORIES, PETITION_DETAIL_CATEGORIES, WARNING_CATEGORIES } from './petition-categories';
import type { RegionContext } from '../shared/context';
import type { KeysetPosition } from '../shared/pagination';
import { findPetitions, listPetitionEvents, listPetitionsOfPersons, PetitionRow, toPetition } from './petition-repository';
import type { Petition, PetitionEvent, PetitionMatter, PetitionWarning, WarningEvent } from './types';
import { findMatters, toMatter } from './matter-repository';
import { findWarnings, listWarningEvents, listWarningsOfPersons, listWarningsOfPetitions, toWarning, WarningRow } from './warning-repository';

/** A page of one person's records: which person, how many rows, after which position. */
export interface PersonPageKey {
  personId: string;
  limit: number;
  after: KeysetPosition | undefined;
}

export interface PetitionsContext extends RegionContext {
  warningById: DataLoader<string, PetitionWarning | undefined>;
  petitionById: DataLoader<string, Petition | undefined>;
  matterById: DataLoader<string, PetitionMatter | undefined>;
  petitionHistory: DataLoader<string, PetitionEvent[]>;
  warningTimeline: DataLoader<string, WarningEvent[]>;
  warningsOfPetition: DataLoader<string, PetitionWarning[]>;
  petitionsOfPerson: DataLoader<PersonPageKey, PetitionRow[], string>;
  warningsOfPerson: DataLoader<PersonPageKey, WarningRow[], string>;
  /** Jurisdiction prefixes whose warnings / petitions (outline) / petitions' details the caller may see. */
  visible: { warnings: readonly string[]; petitions: readonly string[]; petitionDetails: readonly string[] };
}

const pageKey = (key: PersonPageKey) => `${key.personId}|${key.limit}|${key.after?.sortKey ?? ''}|${key.after?.id ?? ''}`;

/**
 * Loads pages for many persons with one statement per distinct (limit, position): in practice
 * one, since every person in a list is asked the same page.
 */
function personPageLoader<Row>(load: (personIds: string[], limit: number, after: KeysetPosition | undefined) => Promise<Map<string, Row[]>>) {
  return new DataLoader<PersonPageKey, Row[], string>(
    async (keys) => {
      const groups = new Map<string, PersonPageKey[]>();
      for (const key of keys) {
        const group = `${key.limit}|${key.after?.sortKey ?? ''}|${key.after?.id ?? ''}`;
        groups.set(group, [...(groups.get(group) ?? []), key]);
      }
      const pages = new Map<string, Row[]>();
      for (const group of groups.values()) {
        const rows = await load([...new Set(group.map((key) => key.personId))], group[0].limit, group[0].after);
        for (const key of group) pages.set(pageKey(key), rows.get(key.personId) ?? []);
      }
      return keys.map((key) => pages.get(pageKey(key)) ?? []);
    },
    { cacheKeyFn: pageKey },
  );
}

/** Per request: every lookup by key and every one-to-many link is one statement per batch. */
export function createPetitionsContext(base: RegionContext): PetitionsContext {
  const { db, region } = base;
  // What this caller may see, as jurisdiction prefixes (nothing without a verified caller).
  const visible = base.actor
    ? {
        warnings: visiblePrefixes(base.actor, WARNING_CATEGORIES),
        petitions: visiblePrefixes(base.actor, PETITION_CATEGORIES),
        petitionDetails: visiblePrefixes(base.actor, PETITION_DETAIL_CATEGORIES),
      }
    : { warnings: [], petitions: [], petitionDetails: [] };
  return {
    ...base,
    warningById: new DataLoader(async (localIds) => (await findWarnings(db, localIds)).map((row) => row && toWarning(region, row))),
    petitionById: new DataLoader(async (localIds) => (await findPetitions(db, localIds)).map((row) => row && toPetition(region, row))),
    matterById: new DataLoader(async (localIds) => (await findMatters(db, localIds)).map((row) => row && toMatter(region, row))),
    petitionHistory: new DataLoader((localIds) => listPetitionEvents(db, localIds)),
    warningTimeline: new DataLoader((localIds) => listWarningEvents(db, localIds)),
    warningsOfPetition: new DataLoader(async (localIds) =>
      (await listWarningsOfPetitions(db, localIds)).map((rows) => rows.map((row) => toWarning(region, row))),
    ),
    // Who brought a petition is one of its details (Petition.petitioners): the person's side of the link obeys the same rule.
    petitionsOfPerson: personPageLoader((ids, limit, after) => listPetitionsOfPersons(db, ids, limit, after, visible.petitionDetails)),
    warningsOfPerson: personPageLoader((ids, limit, after) => listWarningsOfPersons(db, ids, limit, after, visible.warnings)),
    visible,
  };
}
