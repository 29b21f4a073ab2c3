import {
  ConstDirectiveNode,
  DocumentNode,
  FieldDefinitionNode,
  GraphQLSchema,
  InputValueDefinitionNode,
  isInputObjectType,
  isObjectType,
  Kind,
  StringValueNode,
  visit,
} from 'graphql';
import { allow, IRules } from 'graphql-shield';
import type { AccessCatalogue, AccessRule } from './access';

/**
 * `@access` is the one place a rule is attached to what it guards. Before the schema is built,
 * `materializeAccess` checks and completes the directives; afterwards `shieldRulesFrom` derives
 * the field rules from them, and `accessRuleAt` tells a resolver the rule of an argument, input
 * field or field that it must apply to a filter or lookup.
 */

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

const ruleNameOf = (directives: readonly ConstDirectiveNode[] | undefined): string | undefined => {
  const argument = directives?.find((d) => d.name.value === 'access')?.arguments?.find((a) => a.name.value === 'rule');
  return argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
};

const withoutAccess = (directives: readonly ConstDirectiveNode[] | undefined) => (directives ?? []).filter((d) => d.name.value !== 'access');

const str = (value: string): StringValueNode => ({ kind: Kind.STRING, value });

/** `@access(rule: NAME, roles: […])` exactly as the catalogue declares the rule. */
function accessDirective(rule: AccessRule): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'access' },
    arguments: [
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'rule' }, value: str(rule.name) },
      ...(rule.roles?.length
        ? [
            {
              kind: Kind.ARGUMENT as const,
              name: { kind: Kind.NAME as const, value: 'roles' },
              value: { kind: Kind.LIST as const, values: rule.roles.map(str) },
            },
          ]
        : []),
    ],
  };
}

function described(description: StringValueNode | undefined, rule: AccessRule): StringValueNode {
  const words = `Access (${rule.name}): ${rule.words}`;
  return { kind: Kind.STRING, value: description?.value ? `${description.value}\n\n${words}` : words, block: true };
}

/** Key fields of a resolvable `@key` ("id", "code"), or undefined when the type is no entity this subgraph resolves. */
function resolvableKeyFields(directives: readonly ConstDirectiveNode[] | undefined): Set<string> | undefined {
  const keys = (directives ?? []).filter((d) => d.name.value === 'key');
  const resolvable = keys.filter((d) => !d.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value));
  if (!resolvable.length) return undefined;
  return new Set(
    resolvable.flatMap((d) => {
      const fields = d.arguments?.find((a) => a.name.value === 'fields');
      return fields?.value.kind === Kind.STRING ? fields.value.value.split(/[\s{}]+/).filter(Boolean) : [];
    }),
  );
}

/**
 * Checks every `@access` against the catalogue (an unknown rule stops the subgraph), writes each
 * the way the catalogue declares it (with its roles), adds the rule's words to the description,
 * and moves an object type's `@access` onto each of its fields that names none (key fields stay
 * open), so the composed supergraph shows the rule on every field it guards. Every non-key field
 * of an entity this subgraph resolves must end up with a rule: a field added without one fails
 * here, not open in production.
 */
export function materializeAccess(typeDefs: DocumentNode, catalogue: AccessCatalogue): DocumentNode {
  const lookup = (name: string, where: string): AccessRule => {
    const rule = catalogue.get(name);
    if (!rule)
      throw new Error(
        `${where}: @access names the rule ${JSON.stringify(name)}, which this subgraph does not declare (known: ${[...catalogue.keys()].join(', ')})`,
      );
    return rule;
  };
  const guardedInput =
    (owner: string) =>
    (input: InputValueDefinitionNode): InputValueDefinitionNode => {
      const name = ruleNameOf(input.directives);
      if (!name) return input;
      const rule = lookup(name, `${owner}.${input.name.value}`);
      return { ...input, description: described(input.description, rule), directives: [...withoutAccess(input.directives), accessDirective(rule)] };
    };
  return visit(typeDefs, {
    ObjectTypeDefinition(type) {
      const typeRuleName = ruleNameOf(type.directives);
      const typeRule = typeRuleName ? lookup(typeRuleName, type.name.value) : undefined;
      const keyFields = resolvableKeyFields(type.directives);
      const fields = (type.fields ?? []).map((field): FieldDefinitionNode => {
        const coordinate = `${type.name.value}.${field.name.value}`;
        const own = ruleNameOf(field.directives);
        const isKey = keyFields?.has(field.name.value) ?? false;
        const rule = own ? lookup(own, coordinate) : isKey ? undefined : typeRule;
        if (!rule && keyFields && !isKey) {
          throw new Error(`${coordinate}: a field of an entity declares who may read it — @access on the field or on ${type.name.value}`);
        }
        const args = field.arguments?.map(guardedInput(coordinate));
        if (!rule) return { ...field, arguments: args };
        return {
          ...field,
          arguments: args,
          description: described(field.description, rule),
          directives: [...withoutAccess(field.directives), accessDirective(rule)],
        };
      });
      if (ROOT_TYPES.has(type.name.value) && typeRule) throw new Error(`${type.name.value}: @access belongs on root fields, not on the root type`);
      return { ...type, directives: withoutAccess(type.directives), fields };
    },
    InputObjectTypeDefinition(type) {
      return { ...type, fields: type.fields?.map(guardedInput(type.name.value)) };
    },
  });
}

/**
 * The shield rule tree, from the schema's `@access`: a field of a record gets its rule's guard;
 * root fields and fields without a rule need a verified caller (their resolvers decide the rest);
 * federation's entry points are open (what `_entities` returns is guarded by its fields).
 */
export function shieldRulesFrom(schema: GraphQLSchema, catalogue: AccessCatalogue): IRules {
  const verified = catalogue.get('OPEN')!.guard;
  const tree: Record<string, Record<string, unknown> | unknown> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(type.getFields())) {
      const ruleName = ruleNameOf(field.astNode?.directives);
      fields[name] = ROOT_TYPES.has(type.name) || !ruleName ? verified : catalogue.get(ruleName)!.guard;
    }
    tree[type.name] = fields;
  }
  const query = tree.Query as Record<string, unknown> | undefined;
  if (query?._service) query._service = allow;
  if (query?._entities) query._entities = allow;
  if (tree._Service) tree._Service = allow;
  return tree as IRules;
}

const namesAt = new WeakMap<GraphQLSchema, Map<string, string | undefined>>();

/**
 * The name of the rule `@access` gives a field ("Person.name"), an argument
 * ("Query.personByIdNumber.idNumber") or an input field ("PersonFilter.category").
 */
export function accessRuleNameAt(schema: GraphQLSchema, coordinate: string): string | undefined {
  let known = namesAt.get(schema);
  if (!known) namesAt.set(schema, (known = new Map()));
  if (known.has(coordinate)) return known.get(coordinate);
  const [typeName, fieldName, argumentName] = coordinate.split('.');
  const type = schema.getType(typeName);
  let directives: readonly ConstDirectiveNode[] | undefined;
  if (isInputObjectType(type)) directives = type.getFields()[fieldName]?.astNode?.directives;
  else if (isObjectType(type)) {
    const field = type.getFields()[fieldName];
    directives = argumentName ? field?.args.find((a) => a.name === argumentName)?.astNode?.directives : field?.astNode?.directives;
  }
  const name = ruleNameOf(directives);
  known.set(coordinate, name);
  return name;
}

/** The rule itself, for a resolver that must apply it to a filter or lookup of that value. */
export function accessRuleAt(schema: GraphQLSchema, coordinate: string, catalogue: AccessCatalogue): AccessRule | undefined {
  const name = accessRuleNameAt(schema, coordinate);
  return name ? catalogue.get(name) : undefined;
}
