import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from './request-budget';
import { serviceUnavailable } from './errors';
import { watchCircuit } from './region-metrics';
import { EndpointOptions, EndpointUnavailableError, requestBody, SubgraphEndpoint } from './subgraph-client';
import { logger } from '../platform/logger';
import { inSpan, SpanKind, tracingOn } from '../platform/tracing';

/**
 * A subgraph with one endpoint, served exactly as Apollo's RemoteGraphQLDataSource would:
 * the planner's operation posted as is. The difference is the transport: pooled keep-alive
 * connections, a timeout (like a region's, a budget for the whole request), and a circuit breaker.
 */
export class PlainDataSource implements GraphQLDataSource {
  private readonly endpoint: SubgraphEndpoint;

  constructor(
    readonly subgraph: string,
    url: string,
    private readonly options: EndpointOptions,
    private readonly headersFor: (subgraph: string, options: GraphQLDataSourceProcessOptions) => Promise<Record<string, string>> = async () => ({}),
  ) {
    this.endpoint = new SubgraphEndpoint(url, options);
    watchCircuit(this.endpoint, 'hub', subgraph);
  }

  process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    if (!tracingOn()) return this.fetch(options);
    return inSpan(`subgraph fetch ${this.subgraph}`, SpanKind.CLIENT, { 'hub.region': 'hub', 'hub.subgraph': this.subgraph }, () => this.fetch(options));
  }

  private async fetch(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName } = options.request;
    const budget = (options.context as GatewayContext | undefined)?.regionBudget;
    const { timeoutMs } = this.options;
    try {
      return await this.endpoint.post(
        requestBody(query ?? '', variables, operationName),
        await this.headersFor(this.subgraph, options),
        budget?.remaining(timeoutMs) ?? timeoutMs,
        budget?.deadline(timeoutMs),
      );
    } catch (error) {
      if (!(error instanceof EndpointUnavailableError)) throw error;
      // The caller learns which service and why, not where it runs; the log has the address.
      logger.warn(`[gateway] ${this.subgraph}: ${error.message}`);
      throw serviceUnavailable(this.subgraph, error.reason);
    }
  }

  shutdown(): void {
    this.endpoint.shutdown();
  }
}
