import { buildASTSchema, graphql, parse, print } from 'graphql';
import { accessCatalogue, AccessRule } from '../subgraphs/shared/access';
import { accessRuleAt, materializeAccess } from '../subgraphs/shared/access-schema';
import { forbidden, recordRule, withPermissions } from '../subgraphs/shared/permissions';
import { petitionsSubgraph } from '../subgraphs/petitions';
import { personnelSubgraph } from '../subgraphs/personnel';
import { enforcementSubgraph } from '../subgraphs/enforcement';
import { directorySubgraph } from '../subgraphs/directory';
import { dossierSubgraph } from '../subgraphs/petitions/dossier';
import { ROUTING_DIRECTIVES_SDL } from '../schema/routing-directives';

/**
 * `@access` is the one declaration of a rule (subgraphs/shared/access-schema.ts): the shield
 * tree is derived from it, an object type's rule reaches every field that names none, the words
 * reach the description, and a field of an entity without a rule stops the subgraph.
 */

const ownerOnly = recordRule((record: { owner: string }) => (record.owner === 'a' ? true : forbidden('not yours', { reason: 'OWNER_ONLY' })));
const OWNER: AccessRule = { name: 'OWNER', words: 'For the owner only.', guard: ownerOnly };
const ADMIN: AccessRule = { name: 'ADMIN', words: 'For administrators.', roles: ['ADMIN'], guard: ownerOnly };
const catalogue = accessCatalogue(OWNER, ADMIN);

const sdl = (body: string) => `${ROUTING_DIRECTIVES_SDL}\ndirective @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT\n${body}`;

function build(body: string) {
  const schema = buildASTSchema(materializeAccess(parse(sdl(body)), catalogue));
  (schema.getQueryType()!.getFields().records as { resolve?: unknown }).resolve = () => [
    { id: '1', owner: 'a', note: 'x', title: 't1' },
    { id: '2', owner: 'b', note: 'y', title: 't2' },
  ];
  return withPermissions(schema, catalogue);
}

const ctx = { actor: { officerId: '330400:1' } };

test('an object type’s rule guards each of its fields that names none; key fields and OPEN ones stay open', async () => {
  const schema = build(`
    type Query { records: [Record!]! }
    type Record @key(fields: "id") @access(rule: "OWNER") { id: ID! title: String @access(rule: "OPEN") note: String owner: String }
  `);
  const result = await graphql({ schema, source: '{ records { id title note } }', contextValue: ctx });
  expect(result.data).toEqual({
    records: [
      { id: '1', title: 't1', note: 'x' },
      { id: '2', title: 't2', note: null },
    ],
  });
  expect(result.errors?.map((e) => [e.path?.join('.'), e.extensions?.code, e.extensions?.reason])).toEqual([['records.1.note', 'FORBIDDEN', 'OWNER_ONLY']]);
});

test('the printed schema shows the rule on every field it guards, with its words and roles, and not on the type', () => {
  const printed = print(
    materializeAccess(
      parse(
        sdl(
          'type Query { records: [Record!]! admin: String @access(rule: "ADMIN") } type Record @key(fields: "id") @access(rule: "OWNER") { id: ID! note: String }',
        ),
      ),
      catalogue,
    ),
  );
  expect(printed).toMatch(/type Record @key\(fields: "id"\) \{/);
  expect(printed).toMatch(/"""Access \(OWNER\): For the owner only\."""\s+note: String @access\(rule: "OWNER"\)/);
  expect(printed).toMatch(/admin: String @access\(rule: "ADMIN", roles: \["ADMIN"\]\)/);
});

test('a field of an entity without a rule stops the subgraph, naming it', () => {
  expect(() => materializeAccess(parse(sdl('type Query { a: Int } type Record @key(fields: "id") { id: ID! note: String }')), catalogue)).toThrow(
    /Record\.note: a field of an entity declares who may read it/,
  );
});

test('a rule the subgraph does not declare stops it, naming the field', () => {
  expect(() => materializeAccess(parse(sdl('type Query { a: Int @access(rule: "NOBODY") }')), catalogue)).toThrow(/Query\.a: @access names the rule "NOBODY"/);
});

test('a resolver finds the rule of an input field it filters by', () => {
  const schema = buildASTSchema(
    materializeAccess(parse(sdl('type Query { a(f: Filter): Int } input Filter { owner: String @access(rule: "OWNER") other: String }')), catalogue),
  );
  expect(accessRuleAt(schema, 'Filter.owner', catalogue)).toBe(OWNER);
  expect(accessRuleAt(schema, 'Filter.other', catalogue)).toBeUndefined();
});

describe('the hub’s own subgraphs', () => {
  test.each([
    [
      'petitions',
      petitionsSubgraph,
      'Petition',
      ['summary', 'content', 'petitioners', 'history', 'outcome', 'handlingAgency', 'handlingJurisdiction', 'extension'],
      'PETITION_DETAILS',
    ],
    ['personnel', personnelSubgraph, 'Person', ['name', 'idNumber', 'birthDate', 'phone', 'address'], 'PERSON_PERSONAL'],
    ['personnel', personnelSubgraph, 'Person', ['tags', 'tagHistory', 'registeredBy', 'moves'], 'PERSON_OWNER'],
  ] as const)('%s: %s fields %j carry %s in the schema the gateway composes', async (_name, module, type, fields, rule) => {
    const sdlText = (await module.buildSchema()).getType(type)!.astNode!;
    for (const field of fields) {
      const node = (
        sdlText as {
          fields?: Array<{ name: { value: string }; directives?: Array<{ name: { value: string }; arguments?: Array<{ value: { value?: string } }> }> }>;
        }
      ).fields!.find((f) => f.name.value === field)!;
      const access = node.directives?.find((d) => d.name.value === 'access');
      expect([field, access?.arguments?.[0].value.value]).toEqual([field, rule]);
    }
  });

  test.each([petitionsSubgraph, personnelSubgraph, enforcementSubgraph, directorySubgraph, dossierSubgraph])(
    '$name builds: every @access names a declared rule and every entity field has one',
    async (module) => {
      await expect(module.buildSchema()).resolves.toBeDefined();
    },
  );
});
