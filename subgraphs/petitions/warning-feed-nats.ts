import { Client, Pool } from 'pg';
import { connect, JSONCodec, nanos, NatsConnection } from 'nats';
import { WARNING_EVENTS_MAX_AGE_MS, warningEventsStream, warningEventsSubject } from '../../platform/nats-subjects';
import { FeedEvent, feedHead, readFeed } from './warning-feed';

/**
 * With NATS_URL set, the region also publishes its warning feed to NATS JetStream (one subject
 * per region), so that any number of gateway instances hear of each event without each holding
 * a stream to every region. It publishes in the feed's order, from the last event the stream
 * holds for this region; each message carries `<region>:<seq>` as its JetStream message id, so a
 * publish repeated after a crash is dropped by the stream, not delivered twice. Woken by LISTEN
 * and every few seconds besides. The HTTP feed stays the record: gateways catch up from it.
 */

const codec = JSONCodec<FeedEvent>();
const POLL_MS = 2000;
const BATCH = 500;

export class NatsFeedPublisher {
  private nats: NatsConnection | undefined;
  private listener: Client | undefined;
  private position: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Pool,
    private readonly region: string,
    private readonly natsUrl: string,
    private readonly prefix: string,
  ) {}

  start(): void {
    void this.connect().catch((error) => console.warn(`[petitions ${this.region}] NATS publisher: ${(error as Error).message}; retrying`));
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    const nats = await connect({ servers: this.natsUrl, name: `yrd-petitions-${this.region}`, maxReconnectAttempts: -1, waitOnFirstConnect: true });
    if (this.stopped) return void (await nats.close());
    this.nats = nats;
    const jsm = await nats.jetstreamManager();
    const stream = warningEventsStream(this.prefix);
    await jsm.streams.info(stream).catch(() =>
      jsm.streams.add({
        name: stream,
        subjects: [`${this.prefix}.warnings.*`],
        max_age: nanos(WARNING_EVENTS_MAX_AGE_MS),
        duplicate_window: nanos(10 * 60 * 1000),
      }),
    );
    const last = await jsm.streams.getMessage(stream, { last_by_subj: warningEventsSubject(this.prefix, this.region) }).catch(() => undefined);
    // Nothing published yet for this region: start where the feed stands (older events are
    // read by the gateways from the region's feed, as any catch-up is).
    this.position = last ? codec.decode(last.data).seq : (await feedHead(this.db)).head;
    const listener = new Client((this.db as unknown as { options: object }).options);
    listener.on('notification', () => this.wake());
    listener.on('error', () => undefined);
    await listener.connect();
    await listener.query('LISTEN petitions_warning_feed');
    this.listener = listener;
    this.wake();
  }

  private wake(): void {
    if (this.stopped || !this.nats || this.position === undefined) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = this.publish()
      .catch((error) => console.warn(`[petitions ${this.region}] NATS publish failed, trying again: ${(error as Error).message}`))
      .finally(() => {
        this.busy = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async publish(): Promise<void> {
    const js = this.nats!.jetstream();
    const subject = warningEventsSubject(this.prefix, this.region);
    for (;;) {
      const events = await readFeed(this.db, this.region, this.position!, BATCH);
      for (const event of events) {
        await js.publish(subject, codec.encode(event), { msgID: `${this.region}:${event.seq}` });
        this.position = event.seq;
      }
      if (events.length < BATCH) return;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.busy;
    await this.listener?.end().catch(() => undefined);
    await this.nats?.close().catch(() => undefined);
  }
}
