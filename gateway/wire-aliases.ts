import {
  DocumentNode,
  FieldNode,
  getNamedType,
  GraphQLCompositeType,
  GraphQLSchema,
  isAbstractType,
  isCompositeType,
  Kind,
  parse,
  SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { collectFields, CollectOptions, responseKey, STATIC } from './collect-fields';

/**
 * The query planner puts the fields it needs for itself — entity keys, `@requires` inputs,
 * `__typename` — into the same selection sets as the caller's fields, and a field set cannot
 * carry aliases. Where a caller's field answers under a name the planner also uses for one of
 * its own (an alias `serial: bill` beside the key `serial`; `comments(limit: 1)` beside a
 * required `comments(limit: 3)`), the two land under one response key: the planner keeps one of
 * them, or the merged data mixes both (Apollo Gateway answers wrongly there too).
 *
 * So the hub plans a copy of the operation in which each such caller field has a wire alias of
 * its own (`_yrd_` + its response key); the response shaping reads it there and answers under
 * the caller's key, and error paths are mapped back. Only fields that can collide are renamed:
 * a response key that the planner may select at that type (from the supergraph's `@key` and
 * `@requires` field sets), held by a field with arguments or an alias. All of it is done once
 * per operation, when it is planned.
 */

const WIRE_PREFIX = '_yrd_';
/** A `@key`/`@requires` field set: no named fragments, no conditions. */
const FIELD_SET: CollectOptions = { fragments: new Map(), variables: STATIC };

/** The response key a caller's field has in the planned operation. */
export type WireKeyOf = (field: FieldNode, parentType: GraphQLCompositeType) => string;

export class PlannerFieldNames {
  /** Per type: the response keys the planner may select there for itself. */
  private readonly byType = new Map<string, Set<string>>();

  constructor(
    private readonly schema: GraphQLSchema,
    supergraphSdl: string,
  ) {
    for (const definition of parse(supergraphSdl).definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
      const type = schema.getType(definition.name.value);
      if (!type || !isCompositeType(type)) continue;
      for (const directive of definition.directives ?? []) {
        if (directive.name.value === 'join__type') this.addFieldSet(type, directive.arguments?.find((a) => a.name.value === 'key')?.value);
      }
      for (const field of definition.fields ?? []) {
        for (const directive of field.directives ?? []) {
          if (directive.name.value === 'join__field') this.addFieldSet(type, directive.arguments?.find((a) => a.name.value === 'requires')?.value);
        }
      }
    }
  }

  /** Whether the planner may select a field under `key` where a value of `type` (by name: the API schema's or the supergraph's) is. */
  mayUse(type: GraphQLCompositeType, key: string): boolean {
    if (this.byType.get(type.name)?.has(key)) return true;
    // A field on an interface or union is planned on each possible type.
    const own = this.schema.getType(type.name);
    return !!own && isAbstractType(own) && this.schema.getPossibleTypes(own).some((possible) => this.byType.get(possible.name)?.has(key));
  }

  readonly wireKeyOf: WireKeyOf = (field, parentType) => {
    const key = responseKey(field);
    if (field.name.value === '__typename') return key; // answered from the type, never read
    const renamed = key !== field.name.value || !!field.arguments?.length;
    return renamed && this.mayUse(parentType, key) ? WIRE_PREFIX + key : key;
  };

  private addFieldSet(type: GraphQLCompositeType, value: unknown): void {
    const text = (value as { kind?: string; value?: string } | undefined)?.kind === Kind.STRING ? (value as { value: string }).value : undefined;
    if (!text) return;
    const operation = parse(`{${text}}`).definitions[0];
    if (operation.kind === Kind.OPERATION_DEFINITION) this.addSelections(type, operation.selectionSet);
  }

  private addSelections(type: GraphQLCompositeType, selectionSet: SelectionSetNode): void {
    for (const fields of collectFields(selectionSet, type.name, FIELD_SET).values()) {
      for (const { node, parentType } of fields) {
        const writtenOn = parentType === type.name ? type : this.schema.getType(parentType);
        if (!writtenOn || !isCompositeType(writtenOn)) continue;
        let names = this.byType.get(writtenOn.name);
        if (!names) this.byType.set(writtenOn.name, (names = new Set()));
        names.add(node.name.value);
        if (!node.selectionSet) continue;
        const definition = 'getFields' in writtenOn ? writtenOn.getFields()[node.name.value] : undefined;
        const inner = definition && getNamedType(definition.type);
        if (inner && isCompositeType(inner)) this.addSelections(inner, node.selectionSet);
      }
    }
  }
}

export interface WireOperation {
  /** The operation as planned: colliding caller fields under their wire aliases. */
  document: DocumentNode;
  /** Wire alias → the caller's response key, for error paths; empty when nothing was renamed. */
  callerKeys: ReadonlyMap<string, string>;
}

/** The caller's document with wire aliases where `wireKeyOf` gives one (the same document when none). */
export function withWireAliases(schema: GraphQLSchema, document: DocumentNode, wireKeyOf: WireKeyOf): WireOperation {
  const callerKeys = new Map<string, string>();
  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        const parentType = typeInfo.getParentType();
        if (!parentType) return undefined;
        const key = responseKey(field);
        const wire = wireKeyOf(field, parentType);
        if (wire === key) return undefined;
        callerKeys.set(wire, key);
        return { ...field, alias: { kind: Kind.NAME, value: wire } };
      },
    }),
  );
  return { document: callerKeys.size ? rewritten : document, callerKeys };
}

/** An error path of the planned operation as the caller's: wire aliases back to the caller's keys. */
export function callerPath(path: ReadonlyArray<string | number>, callerKeys: ReadonlyMap<string, string>): Array<string | number> {
  return path.map((segment) => (typeof segment === 'string' ? (callerKeys.get(segment) ?? segment) : segment));
}
