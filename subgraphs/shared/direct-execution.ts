import {
  DocumentNode,
  execute,
  FormattedExecutionResult,
  getOperationAST,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';

/**
 * Plain queries answered with graphql-js directly, without Apollo Server's per-request
 * pipeline. A hub fan-out sends one small query to every region (41 for the Delta), so what a
 * subgraph spends per request before and after execution — hashing the query text, plugin
 * hooks, header maps, response assembly — is paid 41 times per caller request. Answers are
 * Apollo Server's, byte for byte (test/direct-execution.e2e.test.ts): the same execution, the
 * same error formatting (`extensions.code` defaults to INTERNAL_SERVER_ERROR, an error's
 * `extensions.http` sets the status and is removed), the same field order, the same
 * content type.
 *
 * Only the common case is taken: a POST of JSON with a string `query`, optional object
 * `variables` and string `operationName`, nothing else; a query operation that parses,
 * validates, needs no introspection, `@defer` or `@stream`, and whose variables coerce; a
 * caller that accepts application/json; a context that builds (checked first). Everything else — mutations,
 * GET, batches, errors of the request itself, refused tokens — returns `undefined` and goes to
 * Apollo Server, which answers it as it always has.
 */

export interface DirectAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface Prepared {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

const MAX_PREPARED = 1000;
const CONTENT_TYPE = 'application/json; charset=utf-8';

export class DirectExecution<TContext> {
  /** Per query text and operation name: the prepared query, or null when Apollo must answer it. */
  private readonly prepared = new Map<string, Prepared | null>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: {
      includeStacktraceInErrorResponses: boolean;
      /** As Apollo Server's option of that name: applied to every formatted error. */
      formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
      /** As a plugin's didEncounterErrors: the errors as raised, before formatting. */
      didEncounterErrors?(context: TContext, errors: readonly GraphQLError[]): void;
      /** Last word on the formatted result before it is sent (the audit log), as Apollo's willSendResponse: may replace it. */
      settle(context: TContext, result: FormattedExecutionResult): Promise<FormattedExecutionResult>;
    },
  ) {}

  /** The answer, or undefined when Apollo Server should take the request. */
  async answer(body: unknown, headers: { 'content-type'?: string; accept?: string }, context: () => Promise<TContext>): Promise<DirectAnswer | undefined> {
    // JSON in and out only: anything else has Apollo Server's checks (CSRF prevention, content negotiation).
    if (headers['content-type']?.split(';')[0].trim().toLowerCase() !== 'application/json') return undefined;
    if (headers.accept !== undefined && headers.accept !== 'application/json') return undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const { query, variables, operationName, ...rest } = body as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || typeof query !== 'string') return undefined;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;

    // The caller first, as Apollo Server does: nothing is parsed or cached for a refused token.
    let contextValue: TContext;
    try {
      contextValue = await context();
    } catch {
      return undefined; // Apollo Server reports it (a refused context token: 401)
    }
    const prepared = this.prepare(query, operationName);
    if (!prepared) return undefined;
    const variableValues = (variables ?? {}) as Record<string, unknown>;
    if ('errors' in getVariableValues(this.schema, prepared.operation.variableDefinitions ?? [], variableValues, { maxErrors: 1 })) return undefined;

    const executed = await execute({
      schema: this.schema,
      document: prepared.document,
      contextValue,
      variableValues,
      operationName: operationName ?? undefined,
    });
    if (executed.errors?.length) this.options.didEncounterErrors?.(contextValue, executed.errors);
    let status = 200;
    const responseHeaders: Record<string, string> = { 'content-type': CONTENT_TYPE };
    const errors = executed.errors?.map((error) => {
      const { formatted, http } = this.format(error);
      if (http?.status) status = http.status;
      http?.headers?.forEach((value, name) => (responseHeaders[name] = value));
      return formatted;
    });
    const result = await this.options.settle(contextValue, { ...executed, errors });
    // Apollo Server's field order: errors, data, extensions.
    const text = `${JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions })}\n`;
    responseHeaders['content-length'] = String(Buffer.byteLength(text));
    return { status, headers: responseHeaders, body: text };
  }

  private prepare(query: string, operationName: string | null | undefined): Prepared | null {
    // An empty name is a name (Apollo Server refuses it), not the absence of one.
    if (operationName === '') return null;
    const key = `${operationName ?? ''}\n${query}`;
    let prepared = this.prepared.get(key);
    if (prepared !== undefined) return prepared;
    prepared = null;
    // Introspection (off in production) and incremental delivery keep Apollo Server's handling.
    if (!/__schema|__type\b|@defer|@stream/.test(query)) {
      try {
        const document = parse(query);
        const operation = validate(this.schema, document).length === 0 ? getOperationAST(document, operationName ?? undefined) : null;
        if (operation?.operation === 'query') prepared = { document, operation };
      } catch {
        prepared = null; // a syntax error: Apollo Server's 400
      }
    }
    if (this.prepared.size >= MAX_PREPARED) this.prepared.clear();
    this.prepared.set(key, prepared);
    return prepared;
  }

  /** As Apollo Server formats an execution error (its errorNormalize, then the formatError hook). */
  private format(error: GraphQLError): { formatted: GraphQLFormattedError; http?: { status?: number; headers?: Map<string, string> } } {
    const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
    let http: { status?: number; headers?: Map<string, string> } | undefined;
    const candidate = extensions.http as { status?: unknown; headers?: unknown } | undefined;
    if (
      candidate &&
      typeof candidate === 'object' &&
      (!('status' in candidate) || typeof candidate.status === 'number') &&
      (!('headers' in candidate) || candidate.headers instanceof Map)
    ) {
      http = candidate as typeof http;
      delete extensions.http;
    }
    if (this.options.includeStacktraceInErrorResponses) extensions.stacktrace = error.stack?.split('\n');
    const formatted = { ...error.toJSON(), extensions };
    return { formatted: this.options.formatError ? this.options.formatError(formatted, error) : formatted, http };
  }
}
