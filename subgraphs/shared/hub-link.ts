import { request } from 'undici';
import { withTraceparent } from '../../platform/tracing';

/**
 * A subgraph's way back into the hub. Records of one region may start work in another (a joint
 * inspection's task lives in the participant's region); the only road between regions is the
 * federation itself, so a subgraph sends such work as a GraphQL operation to the gateway, which
 * routes it like any other. The URL is set once the gateway listens.
 */
export class HubLink {
  private gatewayUrl: string | undefined;

  /** `credentials` gives a caller token for this subgraph host itself (a service identity); without it, nothing is sent. */
  constructor(
    private readonly credentials?: () => Promise<string>,
    url?: string,
  ) {
    this.gatewayUrl = url;
  }

  setUrl(url: string): void {
    this.gatewayUrl = url;
  }

  get url(): string | undefined {
    return this.gatewayUrl;
  }

  /** Runs `query` through the gateway; throws on transport failure, returns GraphQL errors as data. */
  async execute<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
    timeoutMs = 10_000,
  ): Promise<{ data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
    if (!this.gatewayUrl) throw new Error('the hub gateway is not known yet');
    if (!this.credentials) throw new Error('this subgraph host has no service identity to call the hub with');
    const response = await request(this.gatewayUrl, {
      method: 'POST',
      headers: withTraceparent({ 'content-type': 'application/json', ...headers, authorization: `Bearer ${await this.credentials()}` }),
      body: JSON.stringify({ query, variables }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`the hub answered HTTP ${response.statusCode} with something that is not JSON`);
    }
  }
}
