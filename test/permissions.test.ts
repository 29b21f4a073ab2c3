import { buildSchema, graphql, GraphQLSchema } from 'graphql';
import type { IMiddleware } from 'graphql-middleware';
import { rule } from 'graphql-shield';
import { authenticated, forbidden, recordRule, withShield } from '../subgraphs/shared/permissions';

/**
 * The shield set-up every subgraph uses (with a rule tree given here; test/access-schema.test.ts
 * derives one from `@access`): a field no rule names is FORBIDDEN (deny by default),
 * resolver errors pass through with their own code, and a per-record rule is asked for every
 * record (no answer cached across records).
 */

const sdl = `
  type Query { records: [Record!]! secret: String broken: String }
  type Record { id: ID! owner: String note: String }
`;

function schemaWith(rules: object, ...middlewares: IMiddleware[]): GraphQLSchema {
  const schema = buildSchema(sdl);
  const query = schema.getQueryType()!;
  query.getFields().records.resolve = () => [
    { id: '1', owner: 'a', note: 'x' },
    { id: '2', owner: 'b', note: 'y' },
  ];
  query.getFields().secret.resolve = () => 'leaked';
  query.getFields().broken.resolve = () => {
    throw forbidden('the resolver said no', { reason: 'OWN' });
  };
  return withShield(schema, rules as never, ...middlewares);
}

const ctx = { actor: { officerId: '330400:1' } };

test('a field no rule names is FORBIDDEN; a named one answers', async () => {
  const schema = schemaWith({ Query: { records: authenticated, broken: authenticated }, Record: authenticated });
  const result = await graphql({ schema, source: '{ records { id } secret }', contextValue: ctx });
  expect(result.data).toEqual({ records: [{ id: '1' }, { id: '2' }], secret: null });
  expect(result.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['secret', 'FORBIDDEN']]);
});

test('without a verified caller even named fields are refused', async () => {
  const schema = schemaWith({ Query: { records: authenticated }, Record: authenticated });
  const result = await graphql({ schema, source: '{ records { id } }', contextValue: { actor: null } });
  expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('resolver errors keep their own code and message (not "Not Authorised!")', async () => {
  const schema = schemaWith({ Query: { broken: authenticated } });
  const result = await graphql({ schema, source: '{ broken }', contextValue: ctx });
  expect(result.errors?.[0].message).toBe('the resolver said no');
  expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OWN' });
});

test('a per-record rule decides for each record', async () => {
  const ownerOnly = rule({ cache: 'no_cache' })((record: { owner: string }) => (record.owner === 'a' ? true : forbidden('not yours')));
  const schema = schemaWith({ Query: { records: authenticated }, Record: { id: authenticated, note: ownerOnly } });
  const result = await graphql({ schema, source: '{ records { id note } }', contextValue: ctx });
  expect(result.data).toEqual({
    records: [
      { id: '1', note: 'x' },
      { id: '2', note: null },
    ],
  });
  expect(result.errors?.map((e) => e.path?.join('.'))).toEqual(['records.1.note']);
});

describe('recordRule: a per-record rule guarded without a promise per field', () => {
  const owners: string[] = [];
  const ownerOnly = recordRule((record: { owner: string }) => {
    owners.push(record.owner);
    return record.owner === 'a' ? true : forbidden('not yours', { reason: 'OWNER_ONLY' });
  });
  // Synchronous like the personnel subgraph's masking middleware (graphql-middleware's type says async).
  const upperCase = {
    Record: { note: (resolve: (...args: unknown[]) => unknown, ...rest: unknown[]) => String(resolve(...rest)).toUpperCase() },
  } as never as IMiddleware;

  test('decides for each record, with the error of the rule, and synchronously', async () => {
    owners.length = 0;
    const schema = schemaWith({ Query: { records: authenticated }, Record: { id: authenticated, note: ownerOnly } });
    const result = await graphql({ schema, source: '{ records { id note } }', contextValue: ctx });
    expect(result.data).toEqual({
      records: [
        { id: '1', note: 'x' },
        { id: '2', note: null },
      ],
    });
    expect(result.errors?.map((e) => [e.path?.join('.'), e.message, e.extensions?.reason])).toEqual([['records.1.note', 'not yours', 'OWNER_ONLY']]);
    expect(owners).toEqual(['a', 'b']);
    // The field's resolver answers without a promise: the rule was not left to shield's async wrapper.
    const note = schema.getType('Record') as never as { getFields(): Record<string, { resolve: (...args: unknown[]) => unknown }> };
    expect(note.getFields().note.resolve({ owner: 'a', note: 'x' }, {}, ctx, { fieldName: 'note' })).toBe('x');
  });

  test('a rule that throws denies the field as shield does, without its internal message', async () => {
    const broken = recordRule(() => {
      throw new TypeError('internal detail');
    });
    const schema = schemaWith({ Query: { records: authenticated }, Record: { id: authenticated, note: broken } });
    const result = await graphql({ schema, source: '{ records { id note } }', contextValue: ctx });
    expect(result.data).toEqual({
      records: [
        { id: '1', note: null },
        { id: '2', note: null },
      ],
    });
    expect(result.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Record.note is not open to you', 'FORBIDDEN'],
      ['Record.note is not open to you', 'FORBIDDEN'],
    ]);
  });

  test('as a type-wide rule, and with other middlewares still applied inside it', async () => {
    const schema = schemaWith({ Query: { records: authenticated }, Record: { '*': ownerOnly, id: authenticated } }, upperCase);
    const result = await graphql({ schema, source: '{ records { id owner note } }', contextValue: ctx });
    expect(result.data).toEqual({
      records: [
        { id: '1', owner: 'a', note: 'X' },
        { id: '2', owner: null, note: null },
      ],
    });
    expect(result.errors?.map((e) => e.path?.join('.')).sort()).toEqual(['records.1.note', 'records.1.owner']);
  });
});
