import { acceptsEventStreamFirst } from '../platform/accepts-event-stream';

/** A query that also accepts an event stream wants JSON; only SSE ranked first subscribes (urql's default Accept got 404 "Stream not found"). */

test.each([
  ['text/event-stream', true],
  ['text/event-stream, application/json', true],
  ['application/graphql-response+json, application/json, text/event-stream', false],
  ['application/json;q=0.5, text/event-stream', true],
  ['text/event-stream;q=0.1, application/json', false],
  ['*/*', false],
  [undefined, false],
  ['text/event-stream;q=0', false],
])('Accept %p → SSE first: %p', (accept, expected) => {
  expect(acceptsEventStreamFirst(accept)).toBe(expected);
});
