import type { ApolloServerPlugin } from '@apollo/server';
import { FormattedExecutionResult, Kind, OperationDefinitionNode } from 'graphql';
import type { HubContext } from './context';
import { auditFailures, metricsOn } from '../../platform/metrics';

/**
 * Writes a request's reads of personal data in full (added by the field rules) when its
 * response is ready; if the log cannot be written, the response is withheld: a read of
 * personal data that leaves no trace must not happen. Changes are not written here: each
 * mutation writes its row in its own transaction (audited-change.ts), and this checks that
 * every mutation field that succeeded did.
 */
export function auditPlugin(settled?: (context: HubContext, result: FormattedExecutionResult) => void): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      let mutation: OperationDefinitionNode | undefined;
      return {
        async didResolveOperation({ operation }) {
          mutation = operation?.operation === 'mutation' ? operation : undefined;
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          const result = mutation ? withUnauditedChanges(contextValue, mutation, response.body.singleResult) : response.body.singleResult;
          response.body.singleResult = await settleAudit(contextValue, result);
          settled?.(contextValue, response.body.singleResult);
        },
      };
    },
  };
}

/**
 * A mutation field that answered but wrote no audit row is a defect in its resolver (it did not
 * use auditedChange): said loudly, in the log and in the response, so that its tests fail.
 */
function withUnauditedChanges(context: HubContext, operation: OperationDefinitionNode, result: FormattedExecutionResult): FormattedExecutionResult {
  const failed = new Set((result.errors ?? []).map((error) => error.path?.[0]));
  const unaudited = operation.selectionSet.selections.flatMap((selection) => {
    if (selection.kind !== Kind.FIELD || selection.name.value.startsWith('__')) return [];
    const key = selection.alias?.value ?? selection.name.value;
    const answered = result.data?.[key] !== undefined && result.data?.[key] !== null && !failed.has(key);
    return answered && !context.audit.changed.has(selection.name.value) ? [{ key, field: selection.name.value }] : [];
  });
  if (!unaudited.length) return result;
  console.error(
    `[audit] mutation ${unaudited.map(({ field }) => field).join(', ')} answered without writing its audit row in its transaction (use auditedChange)`,
  );
  const errors = unaudited.map(({ key, field }) => ({ message: `${field} was not audited`, path: [key], extensions: { code: 'AUDIT_MISSING' } }));
  return { ...result, errors: [...(result.errors ?? []), ...errors] };
}

/** The request's reads in full, written before its answer goes out; the answer if that fails. */
export async function settleAudit(context: HubContext, result: FormattedExecutionResult): Promise<FormattedExecutionResult> {
  const { actor, audit, db, auditChain } = context;
  if (!actor) return result;
  try {
    await audit.flush(db, auditChain, actor);
    return result;
  } catch (error) {
    if (metricsOn) auditFailures.labels((context as { region?: string }).region ?? 'hub', 'read').inc();
    console.warn(`[audit] could not be written: ${(error as Error).message}`);
    return { errors: [{ message: 'The audit log could not be written, so nothing is shown; retry shortly', extensions: { code: 'AUDIT_UNAVAILABLE' } }] };
  }
}
