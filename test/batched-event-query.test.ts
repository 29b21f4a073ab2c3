import { buildSchema, execute, GraphQLError, parse, validate } from 'graphql';
import { BatchedEventQueries, batchVariables, splitBatchAnswer } from '../gateway/live/batched-event-query';
import { buildEventQuery, OFFICER_ID_VARIABLE, WARNING_ID_VARIABLE } from '../gateway/live/event-query';
import type { QueryAnswer } from '../gateway/live/warning-event-stream';

/**
 * Several events' per-event queries as one operation: run against a schema, the batch must
 * answer each event exactly as its own per-event query does, errors on their paths included.
 */

const schema = buildSchema(`
  type Query {
    petitionWarning(id: ID!): Warning
    officer(id: ID!): Officer
  }
  type Warning { id: ID! level: String kind: String status: String raisedIn: String raisedAt: String subject: Person note(lang: String): String }
  type Person { id: ID! name: String }
  type Officer { id: ID! name: String }
`);

const warnings: Record<string, { id: string; level: string; subject: { id: string; name: string } }> = {
  '330400:1': { id: '330400:1', level: 'RED', subject: { id: '320500:7', name: '张三' } },
  '320500:2': { id: '320500:2', level: 'YELLOW', subject: { id: '320500:8', name: '李四' } },
  '340100:3': { id: '340100:3', level: 'ORANGE', subject: { id: '340100:9', name: '王五' } },
};
const rootValue = {
  petitionWarning: ({ id }: { id: string }) => {
    if (id === '340100:3') throw new GraphQLError('region 340100 did not answer', { extensions: { code: 'REGION_UNAVAILABLE' } });
    const warning = warnings[id];
    return (
      warning && {
        ...warning,
        kind: 'CROSS_REGION',
        status: 'OPEN',
        raisedIn: id.split(':')[0],
        raisedAt: '2026-12-01T00:00:00Z',
        note: ({ lang }: { lang: string }) => `${lang}:${id}`,
      }
    );
  },
  officer: ({ id }: { id: string }) => ({ id, name: `officer ${id}` }),
};

const SUBSCRIPTION = parse(`
  subscription ($lang: String) {
    petitionWarningEvents {
      kind
      warning { ...W note(lang: $lang) }
      officer { name }
    }
  }
  fragment W on PetitionWarning { id level subject { name } }
`);

// The fragment's type condition is the supergraph's name; the test schema calls it Warning.
const eventQuery = buildEventQuery(SUBSCRIPTION, undefined, { lang: 'zh' });
const withOfficer = eventQuery.withOfficer.replace('on PetitionWarning', 'on Warning');

const run = (text: string, variables: Record<string, unknown>): QueryAnswer =>
  JSON.parse(JSON.stringify(execute({ schema, document: parse(text), rootValue, variableValues: variables }))) as QueryAnswer;

const eventsVariables = ['330400:1', '320500:2', '340100:3', '999999:0'].map((warningId, index) => ({
  ...eventQuery.variables,
  [WARNING_ID_VARIABLE]: warningId,
  [OFFICER_ID_VARIABLE]: `330400:${index + 1}`,
}));

test('the batch of four events answers each as its own per-event query does: data, a missing warning, and an error on its own path', () => {
  const batched = new BatchedEventQueries().textFor(withOfficer, eventsVariables.length);
  expect(validate(schema, parse(batched))).toEqual([]);
  const answers = splitBatchAnswer(run(batched, batchVariables(eventsVariables)), eventsVariables.length);
  // Locations point into the text asked, the batch's or the event's own: neither is the client's.
  const withoutLocations = (answer: QueryAnswer) =>
    answer.errors
      ? {
          ...answer,
          errors: answer.errors.map(({ locations: _text, ...error }: { locations?: unknown } & NonNullable<QueryAnswer['errors']>[number]) => error),
        }
      : answer;
  const alone = eventsVariables.map((variables) => withoutLocations(run(withOfficer, variables)));
  expect(answers).toEqual(alone);
  // What the comparison covers: each event's own warning and officer, and the third one's failure.
  expect(answers[0].data?.warning0).toMatchObject({ id: '330400:1', note: 'zh:330400:1', subject: { name: '张三' } });
  expect(answers[1].data?.officer0).toEqual({ name: 'officer 330400:2' });
  expect(answers[2].errors).toEqual([expect.objectContaining({ path: ['yrdLiveProbe'], extensions: { code: 'REGION_UNAVAILABLE' } }), expect.anything()]);
  expect(answers[0].errors).toBeUndefined();
  expect(answers[3].data?.warning0).toBeNull();
});

test("the batch declares each event's ids once per event and the subscription's variables and fragments once", () => {
  const batched = parse(new BatchedEventQueries().textFor(withOfficer, 3));
  const operation = batched.definitions[0] as import('graphql').OperationDefinitionNode;
  const declared = operation.variableDefinitions!.map((definition) => definition.variable.name.value).sort();
  expect(declared).toEqual(['lang', ...[0, 1, 2].flatMap((event) => [`${OFFICER_ID_VARIABLE}_${event}`, `${WARNING_ID_VARIABLE}_${event}`])].sort());
  expect(batched.definitions.filter((definition) => definition.kind === 'FragmentDefinition')).toHaveLength(1);
  expect(operation.selectionSet.selections).toHaveLength(3 * 3);
});

test('an error on no path (the operation refused as a whole) is every event’s', () => {
  const refusal = { message: 'too deep', extensions: { code: 'DEPTH_LIMIT_EXCEEDED' } };
  const answers = splitBatchAnswer({ errors: [refusal] }, 2);
  expect(answers).toEqual([{ errors: [refusal] }, { errors: [refusal] }]);
});
