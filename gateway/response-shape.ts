import {
  DocumentNode,
  FieldNode,
  getNamedType,
  getNullableType,
  GraphQLCompositeType,
  GraphQLEnumType,
  GraphQLError,
  GraphQLID,
  GraphQLInt,
  GraphQLFloat,
  GraphQLBoolean,
  GraphQLString,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { collectFields, conditionVariableNames, Fragments, fragmentsOf, typeConditionTest } from './collect-fields';
import type { WireKeyOf } from './wire-aliases';

/**
 * The last step of executing a query plan: from the data the subgraph fetches merged together
 * (which holds keys, `__typename`s and `@requires` inputs the caller never asked for) to the
 * answer, shaped exactly as the operation selects it — aliases, fragments on abstract types,
 * `@skip`/`@include`, and null propagation for non-null fields.
 *
 * Apollo Gateway re-walks the operation through its own schema model on every request; here
 * each operation is compiled once (per set of `@skip`/`@include` values) into plain arrays of
 * fields per concrete type, and a request only walks the data. The semantics, including the
 * errors it reports for values a subgraph should not have returned, follow
 * `@apollo/gateway`'s resultShaping.ts.
 */

type Json = Record<string, unknown>;

/** How a value of one field (or list element) is completed. */
interface ValueShape {
  nonNull: boolean;
  /** Element shape when the type is a list. */
  list?: ValueShape;
  /** Named type for leaves (validated) and composites (shaped). */
  named: GraphQLOutputType;
  composite?: CompositeShape;
  leaf?: (value: unknown) => boolean;
}

interface FieldShape {
  /** The caller's response key. */
  key: string;
  /** Where the merged data holds the value: the key, or its wire alias (wire-aliases.ts). */
  wireKey: string;
  /** `__typename` (aliased or not): answered from the object's runtime type. */
  typename: boolean;
  /** The key is also a property of Object.prototype (`constructor`, `__proto__`…): write it as an own property only. */
  protoKey: boolean;
  /** The same for the wire key: read it as an own property only. */
  wireProtoKey: boolean;
  value?: ValueShape;
}

/** A selection set on a composite type, compiled lazily for each concrete type met at runtime. */
class CompositeShape {
  private readonly byType = new Map<string, FieldShape[]>();

  constructor(
    private readonly compiler: ShapeCompiler,
    readonly type: GraphQLCompositeType,
    private readonly selectionSets: readonly SelectionSetNode[],
  ) {}

  /** `runtimeType` is abstract when the answer names no concrete type (see `completeNullable`). */
  fieldsFor(runtimeType: GraphQLCompositeType): FieldShape[] {
    let fields = this.byType.get(runtimeType.name);
    if (!fields) {
      fields = this.compiler.collect(runtimeType, this.type, this.selectionSets);
      this.byType.set(runtimeType.name, fields);
    }
    return fields;
  }
}

const NULL_WITH_ERRORS = Symbol('null, errors recorded');
const INVALID = Symbol('null where null is not allowed: the parent becomes null');
type Completed = unknown | typeof NULL_WITH_ERRORS | typeof INVALID;

const integerString = /^[-+]?\d+$/;
function leafCheck(type: GraphQLOutputType): ((value: unknown) => boolean) | undefined {
  if (isEnumType(type)) {
    const values = new Set((type as GraphQLEnumType).getValues().map((v) => v.name));
    return (value) => typeof value === 'string' && values.has(value);
  }
  if (type === GraphQLBoolean) return (value) => typeof value === 'boolean';
  if (type === GraphQLInt) return (value) => typeof value === 'number' && Number.isFinite(value) && integerString.test(String(value));
  if (type === GraphQLID)
    return (value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value) && integerString.test(String(value)));
  if (type === GraphQLFloat) return (value) => typeof value === 'number' && Number.isFinite(value);
  if (type === GraphQLString) return (value) => typeof value === 'string';
  return undefined; // custom scalars: whatever the subgraph serialised
}

/** Compiles one operation for one set of `@skip`/`@include` values. */
class ShapeCompiler {
  constructor(
    readonly schema: GraphQLSchema,
    private readonly fragments: Fragments,
    private readonly variables: Json,
    private readonly wireKeyOf: WireKeyOf,
  ) {}

  /** The type a field is written on (collect-fields.ts names it), else the enclosing one. */
  private writtenOn(name: string, enclosing: GraphQLCompositeType): GraphQLCompositeType {
    if (name === enclosing.name) return enclosing;
    const type = this.schema.getType(name);
    return type && isCompositeType(type) ? type : enclosing;
  }

  /**
   * CollectFields (collect-fields.ts) for one runtime type, then one shape per response key.
   * `declaredType` is the type the selection sets are written on (wire keys depend on it).
   */
  collect(runtimeType: GraphQLCompositeType, declaredType: GraphQLCompositeType, selectionSets: readonly SelectionSetNode[]): FieldShape[] {
    const collected = collectFields(selectionSets, declaredType.name, {
      fragments: this.fragments,
      variables: this.variables,
      applies: typeConditionTest(this.schema, runtimeType),
    });
    const grouped = new Map<string, { wireKey: string; nodes: FieldNode[] }>();
    for (const [key, fields] of collected) {
      grouped.set(key, {
        wireKey: this.wireKeyOf(fields[0].node, this.writtenOn(fields[0].parentType, declaredType)),
        nodes: fields.map((field) => field.node),
      });
    }

    const fields: FieldShape[] = [];
    for (const [key, { wireKey, nodes }] of grouped) {
      const name = nodes[0].name.value;
      const protoKey = key in Object.prototype;
      const wireProtoKey = wireKey in Object.prototype;
      if (name === '__typename') {
        fields.push({ key, wireKey, typename: true, protoKey, wireProtoKey });
        continue;
      }
      const definition = isUnionType(runtimeType) ? undefined : runtimeType.getFields()[name];
      if (!definition) continue; // validated away before planning; nothing to answer
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      fields.push({ key, wireKey, typename: false, protoKey, wireProtoKey, value: this.valueShape(definition.type, subSelections) });
    }
    return fields;
  }

  valueShape(type: GraphQLOutputType, selectionSets: readonly SelectionSetNode[]): ValueShape {
    const nonNull = isNonNullType(type);
    const nullable = getNullableType(type) as GraphQLOutputType;
    if (isListType(nullable)) return { nonNull, named: getNamedType(nullable), list: this.valueShape(nullable.ofType, selectionSets) };
    if (isCompositeType(nullable)) return { nonNull, named: nullable, composite: new CompositeShape(this, nullable, selectionSets) };
    return { nonNull, named: nullable, leaf: leafCheck(nullable) };
  }
}

/** An operation's shaping, compiled per set of `@skip`/`@include` values met. */
export class ResponseShape {
  private readonly conditionVariables: string[];
  private readonly defaults: Json = {};
  private readonly compiled = new Map<string, CompositeShape>();
  private readonly fragments: Fragments;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly operation: OperationDefinitionNode,
    /** Where the plan put each caller field (wire-aliases.ts); by default its own response key. */
    private readonly wireKeyOf: WireKeyOf = (field) => field.alias?.value ?? field.name.value,
  ) {
    this.fragments = fragmentsOf(document);
    this.conditionVariables = conditionVariableNames(operation, this.fragments);
    for (const definition of operation.variableDefinitions ?? []) {
      const value = definition.defaultValue;
      if (value?.kind === Kind.BOOLEAN) this.defaults[definition.variable.name.value] = value.value;
    }
  }

  private rootShape(variables: Json): CompositeShape {
    const values: Json = {};
    let signature = '';
    for (const name of this.conditionVariables) {
      const value = variables[name] ?? this.defaults[name];
      values[name] = value;
      signature += value === true ? '1' : '0';
    }
    let shape = this.compiled.get(signature);
    if (!shape) {
      const rootType = this.schema.getRootType(this.operation.operation)!;
      shape = new CompositeShape(new ShapeCompiler(this.schema, this.fragments, values, this.wireKeyOf), rootType, [this.operation.selectionSet]);
      this.compiled.set(signature, shape);
    }
    return shape;
  }

  /**
   * The caller's answer from the merged fetch results. `errors` receives what Apollo Gateway
   * calls value-completion errors (a null where the schema forbids one, a value of the wrong
   * type); the affected part of the answer becomes null.
   */
  apply(input: Json, variables: Json, errors: GraphQLError[]): Json | null {
    const root = this.rootShape(variables);
    const rootType = root.type as GraphQLObjectType;
    const result = shapeObject(input, root, rootType, [], errors, this.schema);
    return result === NULL_WITH_ERRORS ? null : (result as Json);
  }
}

function describe(path: Array<string | number>, type: GraphQLOutputType, parentType: string): string {
  const element = path[path.length - 1];
  return typeof element === 'string' ? `field ${parentType}.${element}` : `array element of type ${String(type)} at index ${element}`;
}

function shapeObject(
  input: Json,
  shape: CompositeShape,
  runtimeType: GraphQLCompositeType,
  path: Array<string | number>,
  errors: GraphQLError[],
  schema: GraphQLSchema,
): Json | typeof NULL_WITH_ERRORS {
  const fields = shape.fieldsFor(runtimeType);
  const output: Json = {};
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.typename) {
      // An abstract type cannot be a __typename: the object becomes null, with no error of its own (as Apollo's shaping).
      if (!isObjectType(runtimeType)) return NULL_WITH_ERRORS;
      assign(output, field, runtimeType.name);
      continue;
    }
    let value = field.wireProtoKey ? (Object.prototype.hasOwnProperty.call(input, field.wireKey) ? input[field.wireKey] : undefined) : input[field.wireKey];
    if (value === undefined) value = null;
    path.push(field.key);
    const completed = complete(value, field.value!, path, runtimeType.name, errors, schema);
    path.pop();
    if (completed === INVALID) return NULL_WITH_ERRORS;
    assign(output, field, completed === NULL_WITH_ERRORS ? null : completed);
  }
  return output;
}

function assign(output: Json, field: FieldShape, value: unknown): void {
  if (field.protoKey) Object.defineProperty(output, field.key, { value, enumerable: true, writable: true, configurable: true });
  else output[field.key] = value;
}

function complete(
  value: unknown,
  shape: ValueShape,
  path: Array<string | number>,
  parentType: string,
  errors: GraphQLError[],
  schema: GraphQLSchema,
): Completed {
  const inner = completeNullable(value, shape, path, parentType, errors, schema);
  if (!shape.nonNull) return inner;
  if (inner === null) {
    errors.push(
      new GraphQLError(`Cannot return null for non-nullable ${describe(path, shape.named, parentType)}.`, {
        path: [...path],
        extensions: { code: 'INVALID_GRAPHQL' },
      }),
    );
    return INVALID;
  }
  return inner === NULL_WITH_ERRORS || inner === INVALID ? INVALID : inner;
}

function invalidValue(what: string, shape: ValueShape, path: Array<string | number>, parentType: string, errors: GraphQLError[]): typeof NULL_WITH_ERRORS {
  errors.push(
    new GraphQLError(`Invalid ${what} found for ${describe(path, shape.named, parentType)}.`, { path: [...path], extensions: { code: 'INVALID_GRAPHQL' } }),
  );
  return NULL_WITH_ERRORS;
}

function completeNullable(
  value: unknown,
  shape: ValueShape,
  path: Array<string | number>,
  parentType: string,
  errors: GraphQLError[],
  schema: GraphQLSchema,
): Completed {
  if (value === null) return null;
  if (shape.list) {
    if (!Array.isArray(value)) return invalidValue('value', shape, path, parentType, errors);
    const output = new Array(value.length);
    let failed = false;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const element = complete(value[i] === undefined ? null : value[i], shape.list, path, parentType, errors, schema);
      path.pop();
      if (element === INVALID) failed = true;
      output[i] = element === NULL_WITH_ERRORS || element === INVALID ? null : element;
    }
    return failed ? NULL_WITH_ERRORS : output;
  }
  if (shape.composite) {
    if (typeof value !== 'object' || Array.isArray(value)) return invalidValue('value', shape, path, parentType, errors);
    // Without a __typename (the plan asks none when the query tests no type, and an
    // @interfaceObject subgraph names the interface) the declared type stands, abstract or not,
    // as in Apollo's shaping: fragments then apply by the declared type.
    const typename = (value as Json).__typename;
    let runtimeType: GraphQLCompositeType | undefined;
    if (typename === undefined) runtimeType = shape.named as GraphQLCompositeType;
    else if (typeof typename === 'string') {
      const type = schema.getType(typename);
      if (type && isCompositeType(type)) runtimeType = type;
    }
    if (!runtimeType) return invalidValue('__typename', shape, path, parentType, errors);
    return shapeObject(value as Json, shape.composite, runtimeType, path, errors, schema);
  }
  if (shape.leaf && !shape.leaf(value)) return invalidValue('value', shape, path, parentType, errors);
  return value;
}
