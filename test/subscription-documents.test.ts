import { buildSchema, GraphQLError } from 'graphql';
import { SubscriptionDocuments } from '../gateway/live/subscription-documents';

/** One parsed and validated document per subscription text, however many subscribers send it. */

const schema = buildSchema('type Query { a: Int } type Subscription { events: Int }');

test('the same text gives the same document; an invalid one its errors, every time', () => {
  const documents = new SubscriptionDocuments(schema);
  const first = documents.documentFor('subscription { events }');
  expect(first).toMatchObject({ kind: 'Document' });
  expect(documents.documentFor('subscription { events }')).toBe(first);
  const invalid = documents.documentFor('subscription { nothing }');
  expect(Array.isArray(invalid)).toBe(true);
  expect((invalid as GraphQLError[])[0].message).toMatch(/Cannot query field "nothing"/);
  expect(documents.documentFor('subscription {')).toEqual([expect.objectContaining({ message: expect.stringMatching(/Syntax Error/) })]);
});

test('it holds at most its capacity, the oldest going first', () => {
  const documents = new SubscriptionDocuments(schema, 2);
  const first = documents.documentFor('subscription A { events }');
  documents.documentFor('subscription B { events }');
  documents.documentFor('subscription C { events }');
  expect(documents.documentFor('subscription A { events }')).not.toBe(first);
});
