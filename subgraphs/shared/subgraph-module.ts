import type { GraphQLSchema } from 'graphql';
import type { Pool } from 'pg';
import type { ContextVerifier } from '../../auth/context-token';
import type { PlainRoute } from '../../platform/apollo-http';
import type { HubContext, RegionSummary } from './context';

export interface SeedOptions {
  /** Seed of the random generator: the same seed gives the same data. */
  seed: number;
  /** Every region of the hub, so that records can point at persons of other regions. */
  regions: readonly RegionSummary[];
  /** Demo sizes of the region being seeded. */
  scale: SeedScale;
  /** Demo sizes of any region: records pointing into another region must stay within its sizes. */
  scaleOf(region: string): SeedScale;
}

export interface SeedScale {
  persons: number;
  petitions: number;
  warnings: number;
  inspections: number;
  /** Officers of each agency kind in each region. */
  officersPerAgency: number;
}

/**
 * What the launcher needs to run a subgraph: its schema, its migrations, a per-request
 * context, and demo data. A regional subgraph runs once per region over that region's database.
 */
export interface SubgraphModule {
  name: string;
  regional: boolean;
  /** Versioned SQL migrations; absent for a subgraph that reads tables another module owns. */
  migrationsFolder?: string;
  /** Where its printed SDL lives; subgraphs/<name>/schema.graphql unless given. */
  schemaFile?: string;
  buildSchema(): Promise<GraphQLSchema>;
  /** Regional subgraphs receive a RegionContext (a HubContext plus the region served). */
  createContext(base: HubContext): object;
  /**
   * Work an instance does on its own (deadline sweeps, deliveries to other regions), started
   * with its HTTP server and stopped before it closes. `intervalMs` is how often to run.
   */
  startBackground?(context: HubContext, options: { intervalMs: number }): { stop(): Promise<void> };
  /**
   * Plain HTTP routes beside the GraphQL one (the petitions feed the gateway relays to
   * subscribers), by path, with whatever serves them (its NATS publisher); `stop` runs before
   * the server closes.
   */
  httpRoutes?(context: HubContext, verifier: ContextVerifier): { handlers: Record<string, PlainRoute>; stop(): Promise<void> };
  /** Demo data; `region` is undefined for a hub-owned subgraph. */
  seed?(db: Pool, region: RegionSummary | undefined, options: SeedOptions): Promise<void>;
}
