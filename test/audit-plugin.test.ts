import { ApolloServer } from '@apollo/server';
import { RequestAudit } from '../subgraphs/shared/audit-log';
import { auditPlugin } from '../subgraphs/shared/audit-plugin';
import type { HubContext } from '../subgraphs/shared/context';

/**
 * The audit plugin's guard: a mutation field that answers without having written its audit row
 * in its transaction (a resolver that does not use auditedChange) is reported in the response
 * and the log, so that the resolver's tests fail; one that did, or that failed, is not.
 */

const server = new ApolloServer<HubContext>({
  typeDefs: 'type Query { ok: Boolean } type Mutation { audited: Boolean forgotten: Boolean refused: Boolean }',
  resolvers: {
    Mutation: {
      audited: (_root: unknown, _args: unknown, ctx: HubContext) => (ctx.audit.changed.add('audited'), true),
      forgotten: () => true,
      refused: () => {
        throw new Error('no');
      },
    },
  },
  plugins: [auditPlugin()],
});

beforeAll(() => server.start());
afterAll(() => server.stop());

const run = async (query: string) => {
  const contextValue = {
    actor: { officerId: '330400:1' },
    audit: new RequestAudit(),
    db: null,
    auditChain: { key: new Uint8Array(32) },
  } as unknown as HubContext;
  const response = await server.executeOperation({ query }, { contextValue });
  return response.body.kind === 'single' ? response.body.singleResult : undefined;
};

test('a mutation that answered without its audit row is reported as AUDIT_MISSING, under its alias', async () => {
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const result = await run('mutation { audited one: forgotten refused }');
  expect(result?.data).toEqual({ audited: true, one: true, refused: null });
  expect(result?.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
    ['INTERNAL_SERVER_ERROR', ['refused']],
    ['AUDIT_MISSING', ['one']],
  ]);
  expect(error).toHaveBeenCalledWith(expect.stringMatching(/forgotten answered without writing its audit row/));
  error.mockRestore();
});

test('mutations that wrote their rows, or failed, pass unchanged', async () => {
  const result = await run('mutation { audited refused }');
  expect(result?.errors?.map((e) => e.extensions?.code)).not.toContain('AUDIT_MISSING');
});
