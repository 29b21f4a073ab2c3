import type { IRule } from 'graphql-shield';
import { Directive } from 'type-graphql';
import type { RequestContext } from '../../auth/context-token';
import { maySee, visiblePrefixes } from '../../auth/record-policy';
import type { SharingCategory } from '../../auth/sharing';
import type { HubContext } from './context';
import { authenticated, forbidden, notShared, recordRule } from './permissions';

/**
 * A rule of who may read or call something, declared once: its name (what `@access(rule: …)`
 * says in the schema), its words (added to the description of everything it guards), the roles
 * the gateway checks before planning, and the guard the subgraph applies per record. The shield
 * rule tree is derived from the `@access` directives of the schema (./access-schema.ts), so the
 * schema and the enforcement cannot drift apart.
 */
export interface AccessRule {
  /** As written in the schema: `@access(rule: "PERSON_PERSONAL")`; upper case. */
  readonly name: string;
  /** The rule in words, for app developers reading the schema. */
  readonly words: string;
  /** Roles of which a caller needs one; the gateway refuses an operation selecting the field without them. */
  readonly roles?: readonly string[];
  /** The field guard for fields of records, per record. Root fields are decided by their resolvers. */
  readonly guard: IRule;
  /**
   * The same rule for a filter or lookup that tests such a value: the jurisdiction prefixes of
   * records whose value the caller may read (the guard's decision, as SQL can apply it).
   */
  readonly within?: (caller: Pick<RequestContext, 'jurisdiction' | 'grants'>) => readonly string[];
}

/** The rules one subgraph's schema may name, by name. */
export type AccessCatalogue = ReadonlyMap<string, AccessRule>;

export function accessCatalogue(...rules: AccessRule[]): AccessCatalogue {
  const catalogue = new Map<string, AccessRule>();
  for (const rule of [OPEN, ...rules]) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(rule.name)) throw new Error(`access rule ${JSON.stringify(rule.name)}: a name is upper case, digits and _`);
    if (catalogue.has(rule.name) && catalogue.get(rule.name) !== rule) throw new Error(`access rule ${rule.name} is declared twice`);
    catalogue.set(rule.name, rule);
  }
  return catalogue;
}

/**
 * `@access` on a field (or on an object type: the rule of each of its fields that names none).
 * On a root field the rule is said in the schema and checked by the field's resolver.
 */
export function Access(rule: AccessRule): MethodDecorator & PropertyDecorator & ClassDecorator {
  return Directive(`@access(rule: ${JSON.stringify(rule.name)}${rule.roles?.length ? `, roles: ${JSON.stringify(rule.roles)}` : ''})`) as never;
}

/**
 * The rule of a kind of record shared by jurisdiction (auth/record-policy.ts): seen by officers
 * of the record's jurisdiction or city and by partners holding one of `categories` for it.
 */
export function sharedRecordRule<TRecord extends { id: string }>(rule: {
  name: string;
  words: string;
  /** As refusals name it: "Warning 330400:7: no sharing agreement opens it to 340100". */
  kind: string;
  jurisdictionOf: (record: TRecord) => string;
  categories: readonly SharingCategory[];
  /** Others who see the record besides (a task: the lead region's officers). Prefixes cannot say that, so such a rule has no `within`. */
  alsoSeenBy?: (record: TRecord, caller: Pick<RequestContext, 'jurisdiction'>) => boolean;
}): AccessRule {
  // Read now, not per record: a module cycle that leaves them undefined must stop the start, not deny every record.
  if (!rule.categories?.length) throw new Error(`access rule ${rule.name}: names no sharing category (a module import cycle?)`);
  return {
    name: rule.name,
    words: rule.words,
    guard: recordRule((record: TRecord, _args, ctx: HubContext) => {
      if (!ctx.actor) return forbidden('this needs a verified caller');
      return maySee(ctx.actor, rule.jurisdictionOf(record), rule.categories) || rule.alsoSeenBy?.(record, ctx.actor)
        ? true
        : notShared(rule.kind, record.id, ctx.actor.jurisdiction);
    }),
    ...(rule.alsoSeenBy ? {} : { within: (caller: Pick<RequestContext, 'jurisdiction' | 'grants'>) => visiblePrefixes(caller, rule.categories) }),
  };
}

/** Open to every verified caller: ids, regions, the sort keys of lists. */
export const OPEN: AccessRule = { name: 'OPEN', words: 'Open to every verified caller.', guard: authenticated };

export const PETITION_WORK_ROLES = ['PETITION_OFFICER', 'SUPERVISOR'] as const;
export const ENFORCEMENT_WORK_ROLES = ['ENFORCEMENT_OFFICER', 'SUPERVISOR'] as const;
