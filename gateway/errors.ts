import { GraphQLError, GraphQLFormattedError } from 'graphql';

/** The error codes the gateway itself produces, each carried in `extensions.code`. */
export type GatewayErrorCode = 'REGION_UNAVAILABLE' | 'SERVICE_UNAVAILABLE' | 'UNKNOWN_REGION' | 'BAD_USER_INPUT';

export function gatewayError(
  code: GatewayErrorCode,
  message: string,
  path: ReadonlyArray<string | number> | undefined,
  extensions: Record<string, unknown> = {},
): GraphQLFormattedError {
  return { message, ...(path ? { path } : {}), extensions: { code, ...extensions } };
}

export function regionUnavailable(region: string, regionName: string, reason: string, path?: ReadonlyArray<string | number>) {
  return gatewayError(
    'REGION_UNAVAILABLE',
    `Region ${region} (${regionName}) did not answer: ${reason}. Data from the other regions is complete; retry later for this one.`,
    path,
    { region },
  );
}

/** A hub-wide subgraph (the directory) that did not answer: thrown, so that the fields it serves are null. */
export function serviceUnavailable(subgraph: string, reason: string): GraphQLError {
  return new GraphQLError(`The ${subgraph} service did not answer: ${reason}. Retry later.`, {
    extensions: { code: 'SERVICE_UNAVAILABLE', service: subgraph },
  });
}
