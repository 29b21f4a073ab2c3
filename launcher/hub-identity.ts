import path from 'node:path';
import { createLocalJWKSet } from 'jose';
import { HUB_AUDIENCE, signCallerToken } from '../auth/caller-token';
import { IdentitySettings, loadIdentitySettings, TrustedIssuer } from '../auth/caller-verifier';
import { ContextVerifier } from '../auth/context-token';
import { provinceOf } from '../auth/jurisdiction';
import { chainKeyFor, ensureAuditChainSecret } from '../auth/audit-keys';
import { ensureSigningKey, SigningKey } from '../auth/keys';
import type { GatewayAuthSettings } from '../gateway/authentication';
import { demoRoster, DemoRosterEntry } from '../subgraphs/personnel/demo-roster';

/**
 * The keys and trust of one hub, kept in `<data folder>/keys/`:
 *  - `hub-context.json`: the hub's key for context tokens (subgraphs get its public half);
 *  - `hub-services.json`: the issuer of the service identities of the subgraph hosts this hub
 *    runs (they call the gateway for cross-region work), trusted for `service:<region>` only;
 *  - `audit-chain.json`: the secret each database's audit chain key is derived from (a region's
 *    subgraph host is given its region's key only; no database holds one);
 *  - `audit-checkpoints.json`: the key that signs checkpoints of the regions' chain heads, used
 *    by the launcher only (subgraphs get its public half to check them);
 *  - `idp-<province>.json`: without an identity file, one demo identity provider per province
 *    of the configured regions, trusted for that province's jurisdictions. With an identity
 *    file (HUB_IDENTITY), the real providers listed there are trusted instead, and no demo
 *    tokens can be made.
 */

export const demoIssuer = (province: string) => `urn:yrd-hub:demo-idp:${province}`;
export const SERVICE_ISSUER = 'urn:yrd-hub:services';
const SERVICE_TOKEN_SECONDS = 3600;

/**
 * Caller tokens of the service identity `service:<region>`, signed with the hub's service key,
 * for a region's subgraph host calling the gateway (cross-region work); renewed before they expire.
 */
export function serviceCredentials(serviceKey: SigningKey, region: string): () => Promise<string> {
  let cached: { token: string; renewAt: number } | undefined;
  return async () => {
    if (cached && cached.renewAt > Date.now()) return cached.token;
    const token = await signCallerToken(
      serviceKey,
      SERVICE_ISSUER,
      { sub: `service:${region}`, jurisdiction: region, roles: ['SERVICE'] },
      SERVICE_TOKEN_SECONDS,
    );
    cached = { token, renewAt: Date.now() + (SERVICE_TOKEN_SECONDS - 300) * 1000 };
    return token;
  };
}

export class UnknownLoginError extends Error {
  override name = 'UsageError';
}

export class HubIdentity {
  private constructor(
    readonly contextKey: SigningKey,
    readonly serviceKey: SigningKey,
    private readonly auditCheckpointKey: SigningKey | undefined,
    private readonly auditChainSecret: Buffer | undefined,
    /** The chain keys were made in this start: logs found unkeyed were written before the hub keyed any. */
    readonly auditChainKeysNew: boolean,
    private readonly identity: IdentitySettings,
    private readonly demoProviders: Map<string, SigningKey>,
    private readonly officersPerAgency: (region: string) => number,
  ) {}

  static async prepare(options: {
    dataDir: string;
    regionCodes: readonly string[];
    hostedRegionCodes: readonly string[];
    identityFile?: string;
    officersPerAgency: (region: string) => number;
    /** The running hub's keys for its audit logs; not made by commands that only sign tokens in. */
    auditKeys?: boolean;
  }): Promise<HubIdentity> {
    const keys = path.join(options.dataDir, 'keys');
    const contextKey = await ensureSigningKey(path.join(keys, 'hub-context.json'));
    const serviceKey = await ensureSigningKey(path.join(keys, 'hub-services.json'));
    // Made by the first start only: that start alone may key a log an earlier version wrote.
    const checkpointKey = options.auditKeys ? await ensureSigningKey(path.join(keys, 'audit-checkpoints.json')) : undefined;
    const { secret: auditChainSecret, created: auditChainKeysNew } = options.auditKeys ? ensureAuditChainSecret(keys) : { secret: undefined, created: false };
    const demoProviders = new Map<string, SigningKey>();
    let issuers: TrustedIssuer[];
    let audience = HUB_AUDIENCE;
    if (options.identityFile) {
      ({ issuers, audience } = loadIdentitySettings(options.identityFile));
    } else {
      issuers = [];
      for (const province of [...new Set(options.regionCodes.map(provinceOf))].sort()) {
        const key = await ensureSigningKey(path.join(keys, `idp-${province}.json`));
        demoProviders.set(province, key);
        issuers.push({ issuer: demoIssuer(province), jurisdictions: [province.slice(0, 2)], keys: createLocalJWKSet({ keys: [key.publicJwk] }) });
      }
    }
    if (options.hostedRegionCodes.length) {
      issuers.push({
        issuer: SERVICE_ISSUER,
        jurisdictions: [...options.hostedRegionCodes],
        servicesOnly: true,
        keys: createLocalJWKSet({ keys: [serviceKey.publicJwk] }),
      });
    }
    return new HubIdentity(
      contextKey,
      serviceKey,
      checkpointKey,
      auditChainSecret,
      auditChainKeysNew,
      { audience, issuers },
      demoProviders,
      options.officersPerAgency,
    );
  }

  /** The key the audit chain of `region`'s database (or "hub", the hub's own) is kept under. */
  auditChainKey(region: string): Buffer {
    if (!this.auditChainSecret) throw new Error('this identity was prepared without the audit keys (auditKeys: true)');
    return chainKeyFor(this.auditChainSecret, region);
  }

  /** The key that signs checkpoints of the regions' audit chain heads (the launcher's only). */
  get checkpointKey(): SigningKey {
    if (!this.auditCheckpointKey) throw new Error('this identity was prepared without the audit keys (auditKeys: true)');
    return this.auditCheckpointKey;
  }

  /** The signing key of a province's demo identity provider (for the token command, and tests that play the provider). */
  demoProviderKey(province: string): SigningKey | undefined {
    return this.demoProviders.get(province);
  }

  /** The gateway's trust; callers' grants come from the hub's directory, the roster from each region's personnel records. */
  gatewayAuth(): GatewayAuthSettings {
    return { identity: this.identity, contextKey: this.contextKey, grantsFrom: 'directory', rosterFrom: 'personnel' };
  }

  contextVerifier(): ContextVerifier {
    return new ContextVerifier({ keys: [this.contextKey.publicJwk] });
  }

  /** Caller tokens for the subgraph host of `region` when it calls the gateway; renewed before they expire. */
  serviceCredentials(region: string): () => Promise<string> {
    return serviceCredentials(this.serviceKey, region);
  }

  /** The seeded demo officer with this login ("demo-330400", "demo-330400-market-2", …). */
  demoOfficer(login: string): DemoRosterEntry & { id: string; region: string } {
    const region = /^demo-(\d{6})(?:-|$)/.exec(login)?.[1];
    const entry = region ? demoRoster(region, this.officersPerAgency(region)).find((officer) => officer.login === login) : undefined;
    if (!region || !entry)
      throw new UnknownLoginError(
        `no demo officer has the login ${JSON.stringify(login)}; demo logins look like demo-330400 or demo-330400-market-1 (see README)`,
      );
    return { ...entry, id: `${region}:${entry.localId}`, region };
  }

  /** The seeded demo officer with this id ("330400:1"). */
  demoOfficerById(id: string): DemoRosterEntry & { id: string; region: string } {
    const [region, localId] = id.split(':');
    const entry = demoRoster(region, this.officersPerAgency(region)).find((officer) => String(officer.localId) === localId);
    if (!entry) throw new UnknownLoginError(`no demo officer has the id ${JSON.stringify(id)}`);
    return { ...entry, id, region };
  }

  /** A caller token from the officer's province's demo identity provider, as that provider would issue it. */
  async demoToken(
    officer: { id: string; jurisdiction: string; agency?: string | null; roles: readonly string[]; login?: string },
    lifetimeSeconds?: number,
  ): Promise<string> {
    const key = this.demoProviders.get(provinceOf(officer.jurisdiction));
    if (!key)
      throw new UnknownLoginError(
        `no demo identity provider here for jurisdiction ${officer.jurisdiction} (with HUB_IDENTITY set, tokens come from the real providers)`,
      );
    return signCallerToken(
      key,
      demoIssuer(provinceOf(officer.jurisdiction)),
      { sub: officer.id, jurisdiction: officer.jurisdiction, agency: officer.agency ?? null, roles: [...officer.roles], login: officer.login },
      lifetimeSeconds,
    );
  }

  async demoTokenForLogin(login: string, lifetimeSeconds?: number): Promise<string> {
    return this.demoToken(this.demoOfficer(login), lifetimeSeconds);
  }
}
