import { buildSchema, parse } from 'graphql';
import { buildEventQuery } from '../gateway/live/event-query';
import { SharedResults } from '../gateway/live/shared-results';
import type { EventPayload, QueryAnswer } from '../gateway/live/warning-event-stream';

/** Subscribers who share an event's answer and subscription get one result made for them all, each with its own cursor. */

const schema = buildSchema(`
  type Query { a: Int }
  type Subscription { petitionWarningEvents: Event }
  type Event { cursor: String kind: String warning: Warning }
  type Warning { id: ID level: String }
`);
const document = parse('subscription { e: petitionWarningEvents { position: cursor kind warning { id level } } }');
const query = buildEventQuery(document, undefined, {});
const selection = { schema, document, operationName: undefined, variableValues: {}, query };
const payload = (cursor: string, warning: object): EventPayload => ({ e: { position: cursor, kind: 'RAISED', warning } }) as EventPayload;

test("one result per answer and subscription, with each subscriber's own cursor", async () => {
  const results = new SharedResults();
  const answer: QueryAnswer = { data: { warning0: { id: '330400:1', level: 'RED' } } };
  const warning = { id: '330400:1', level: 'RED' };
  const first = await results.resultOf(selection, payload('cursor-of-one', warning), answer);
  // The second subscriber's payload carries another warning object: the shared result was made from the first.
  const second = await results.resultOf(selection, payload('cursor-of-two', { ...warning }), answer);
  expect(first.data).toEqual({ e: { position: 'cursor-of-one', kind: 'RAISED', warning: { id: '330400:1', level: 'RED' } } });
  expect(second.data).toEqual({ e: { position: 'cursor-of-two', kind: 'RAISED', warning: { id: '330400:1', level: 'RED' } } });
  expect((second.data!.e as { warning: object }).warning).toBe((first.data!.e as { warning: object }).warning);
  // Another answer (another event) is a result of its own.
  const other = await results.resultOf(selection, payload('cursor-of-one', { id: '330400:2', level: 'BLUE' }), { data: {} });
  expect(other.data).toEqual({ e: { position: 'cursor-of-one', kind: 'RAISED', warning: { id: '330400:2', level: 'BLUE' } } });
});

test("a payload's own errors are added to its result", async () => {
  const results = new SharedResults();
  const answer: QueryAnswer = { data: {} };
  const errors = [{ message: 'level: FORBIDDEN', path: ['e', 'warning', 'level'] }];
  const result = await results.resultOf(selection, { ...payload('c', { id: '330400:1', level: null }), errors } as unknown as EventPayload, answer);
  expect(result.errors).toEqual(errors);
});
