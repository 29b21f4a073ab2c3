import { GraphQLError } from 'graphql';
import { connect, NatsConnection } from 'nats';
import type { SigningKey } from '../../auth/keys';
import { natsPrefix } from '../../platform/nats-subjects';
import type { RegionConfig } from '../region-config';
import { NatsRegionFeed } from './nats-region-feed';
import { FeedPage, RegionFeed } from './region-feed';

/**
 * The gateway's feed of every region it serves, as regions.yaml says now. Each is followed from
 * its first subscriber on (start), and asked where it is at every connection and page, so that a
 * reload (reconfigure) is followed without restarting anything: a region added gets a feed,
 * which is started at once and reported `joined` at the position it stood at then (for the
 * subscriptions already running that follow every region); a region whose endpoint moved has
 * its stream reopened at the new address from its last position; a region removed has its feed
 * stopped and is reported `removed`.
 */

const MAX_PAGE_AHEAD = 999_999_999_999_999;
/** How often a region added by a reload is asked for its feed's position until it answers. */
const JOIN_RETRY_MS = 1000;

export interface RegionFeedEvents {
  /** A region added by a reload is followed, from `head` on. */
  joined(region: string, head: number): void;
  /** A region removed by a reload is no longer followed. */
  removed(region: string): void;
}

export class RegionFeeds {
  /** The feeds by region code (read by each subscriber's stream). */
  readonly byRegion = new Map<string, RegionFeed>();
  private readonly started = new Set<string>();
  /** Where each region added by a reload joined: also for a subscription set up meanwhile with the regions as they were. */
  private readonly joinedAt = new Map<string, number>();
  private nats: Promise<NatsConnection> | undefined;
  private stopped = false;

  constructor(
    private regions: RegionConfig,
    private readonly contextKey: SigningKey,
    private readonly events: RegionFeedEvents,
    /** With a NATS server, each region's new events are heard through JetStream (nats-region-feed.ts). */
    private readonly natsUrl?: string,
  ) {
    for (const region of regions.regions) this.add(region.code);
  }

  /** The codes of the regions served now, in regions.yaml's order. */
  codes(): string[] {
    return this.regions.regions.map((region) => region.code);
  }

  /** The positions regions added by reloads joined at, by code. */
  joined(): ReadonlyMap<string, number> {
    return this.joinedAt;
  }

  /** Follows `region`'s feed from now on (its first subscriber), and then keeps it. */
  start(region: string): void {
    if (this.started.has(region)) return;
    this.started.add(region);
    this.byRegion.get(region)?.start();
  }

  /** Where `feed` stands now: its last relayed position, else the region's head. */
  async headOf(feed: RegionFeed): Promise<number> {
    return feed.position ?? (await this.page(feed, MAX_PAGE_AHEAD)).head;
  }

  /** One page of `feed` after `after`; REGION_UNAVAILABLE, as a subscription's error, when the region does not answer. */
  async page(feed: RegionFeed, after: number): Promise<FeedPage> {
    try {
      return await feed.page(after);
    } catch {
      throw new GraphQLError(`Region ${feed.region} did not answer for its warning events; try again shortly`, {
        extensions: { code: 'REGION_UNAVAILABLE', region: feed.region },
      });
    }
  }

  /** The regions of a reloaded regions.yaml (checked by the caller). Nothing here waits for a region to answer. */
  reconfigure(next: RegionConfig): void {
    if (this.stopped) return;
    const before = new Map(this.regions.regions.map((region) => [region.code, this.feedUrlOf(region.code)]));
    this.regions = next;
    for (const region of next.regions) {
      if (!before.has(region.code)) void this.join(region.code, this.add(region.code));
      else if (before.get(region.code) !== this.feedUrlOf(region.code)) this.byRegion.get(region.code)?.reconnect();
    }
    for (const code of before.keys()) if (!next.regions.some((region) => region.code === code)) this.remove(code);
  }

  stop(): void {
    this.stopped = true;
    this.byRegion.forEach((feed) => feed.stop());
    void this.nats?.then((connection) => connection.close()).catch(() => undefined);
  }

  private feedUrlOf(code: string): string | undefined {
    return this.regions.regions.find((region) => region.code === code)?.endpoints.petitions?.replace(/\/graphql$/, '/warning-feed');
  }

  private add(code: string): RegionFeed {
    const feedUrl = () => this.feedUrlOf(code);
    const natsUrl = this.natsUrl;
    const feed = natsUrl
      ? new NatsRegionFeed(code, feedUrl, this.contextKey, () => this.natsConnection(natsUrl), natsPrefix())
      : new RegionFeed(code, feedUrl, this.contextKey);
    let troubled = false;
    feed.on('trouble', (error: Error) => {
      if (!troubled) console.warn(`[gateway] live warnings: ${error.message}; retrying`);
      troubled = true;
    });
    feed.on('ready', () => (troubled = false));
    this.byRegion.set(code, feed);
    return feed;
  }

  private async join(code: string, feed: RegionFeed): Promise<void> {
    this.start(code);
    for (;;) {
      if (this.stopped || this.byRegion.get(code) !== feed) return;
      try {
        const head = await this.headOf(feed);
        if (this.byRegion.get(code) !== feed) return;
        this.joinedAt.set(code, head);
        this.events.joined(code, head);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, JOIN_RETRY_MS).unref());
      }
    }
  }

  private remove(code: string): void {
    this.byRegion.get(code)?.stop();
    this.byRegion.delete(code);
    this.started.delete(code);
    this.joinedAt.delete(code);
    this.events.removed(code);
  }

  /** One NATS connection for every region's feed, opened with the first subscription. */
  private natsConnection(url: string): Promise<NatsConnection> {
    this.nats ??= connect({ servers: url, name: 'yrd-gateway', maxReconnectAttempts: -1, waitOnFirstConnect: true });
    return this.nats;
  }
}
