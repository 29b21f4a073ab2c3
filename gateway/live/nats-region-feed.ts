import { DeliverPolicy, JSONCodec, NatsConnection } from 'nats';
import type { SigningKey } from '../../auth/keys';
import { warningEventsStream, warningEventsSubject } from '../../platform/nats-subjects';
import { FeedEvent, RegionFeed } from './region-feed';

/**
 * A region's feed heard through NATS JetStream (NATS_URL set) instead of one HTTP stream per
 * gateway instance: an ordered consumer of the region's subject, from the newest message on.
 * Catching up (a subscriber's cursor, or a jump in the region's positions) still reads the
 * region's own feed over HTTP (`page`), which is the record; JetStream is how each gateway
 * instance hears that there is something new, in order, whichever instance the change went
 * through.
 */

const codec = JSONCodec<FeedEvent>();
const RETRY_MS = 1000;

export class NatsRegionFeed extends RegionFeed {
  private closeConsumer: (() => void) | undefined;

  constructor(
    region: string,
    feedUrl: () => string | undefined,
    contextKey: SigningKey,
    private readonly nats: () => Promise<NatsConnection>,
    private readonly prefix: string,
  ) {
    super(region, feedUrl, contextKey);
  }

  protected override async follow(): Promise<void> {
    while (!this.stopped) {
      try {
        const nats = await this.nats();
        const consumer = await nats.jetstream().consumers.get(warningEventsStream(this.prefix), {
          filterSubjects: warningEventsSubject(this.prefix, this.region),
          deliver_policy: DeliverPolicy.New,
        });
        const messages = await consumer.consume();
        this.unbroken = false;
        this.closeConsumer = () => void messages.close();
        this.emit('ready', this.position);
        for await (const message of messages) {
          if (this.stopped) break;
          this.take(codec.decode(message.data));
        }
      } catch (error) {
        if (!this.stopped) this.emit('trouble', new Error(`the NATS subject of region ${this.region}: ${(error as Error).message}`));
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
    }
  }

  override stop(): void {
    super.stop();
    this.closeConsumer?.();
  }
}
