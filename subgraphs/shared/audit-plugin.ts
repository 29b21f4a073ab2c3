import type { ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { HubContext } from './context';

/**
 * Writes a request's audit entries when its response is ready: what it showed unmasked (added
 * by the field rules) and, for a mutation that succeeded, one entry per changed record. If the
 * log cannot be written, the response is withheld: a read of personal data that leaves no
 * trace must not happen.
 */
export function auditPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      let mutation = false;
      return {
        async didResolveOperation({ operation }) {
          mutation = operation?.operation === 'mutation';
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          response.body.singleResult = await settleAudit(contextValue, response.body.singleResult, mutation);
        },
      };
    },
  };
}

/** The audit entries of a request, written before its answer goes out; the answer if that fails. */
export async function settleAudit(context: HubContext, result: FormattedExecutionResult, mutation: boolean): Promise<FormattedExecutionResult> {
  const { actor, audit, db } = context;
  if (!actor) return result;
  if (mutation && result.data && !result.errors?.length) {
    for (const [field, value] of Object.entries(result.data)) {
      const id = value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : field;
      audit.add(`CHANGE:${field}`, id, [field]);
    }
  }
  try {
    await audit.flush(db, actor);
    return result;
  } catch (error) {
    console.warn(`[audit] could not be written: ${(error as Error).message}`);
    return { errors: [{ message: 'The audit log could not be written, so nothing is shown; retry shortly', extensions: { code: 'AUDIT_UNAVAILABLE' } }] };
  }
}
