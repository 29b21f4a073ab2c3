import { EventEmitter } from 'node:events';
import { GATEWAY_IDENTITY } from '../../auth/context-token';
import type { SigningKey } from '../../auth/keys';
import { GatewayIdentityTokens } from '../gateway-identity-token';

/**
 * The gateway's end of one region's warning feed: one long-lived HTTP stream from the region's
 * petitions host (`/petitions/warning-feed`, newline-delimited JSON), relayed to this gateway's
 * subscribers as `event`s, in the region's order. After a drop it reconnects from the last
 * position it relayed, so the events it emits have no gaps and no repeats. `page` reads a
 * stretch of the feed once, for a subscriber catching up from its cursor. Where the feed is
 * (`feedUrl`) is asked at every connection and page, so an endpoint moved by a reload is followed.
 */

export interface FeedEvent {
  seq: number;
  warningId: string;
  kind: 'RAISED' | 'ACKNOWLEDGED' | 'ESCALATED' | 'RESOLVED';
  officerId: string | null;
  officerRegion: string | null;
  at: string;
  /**
   * The position this gateway's feed relayed just before this event, when it knows that no
   * event of the region lies between the two (a rolled-back change leaves a hole in the
   * positions); absent when it cannot know (the first event heard after a reconnect to NATS).
   */
  previous?: number;
}

/** The position after which `event` comes next, with nothing between: its `previous`, else the one before it. */
export const positionBefore = (event: FeedEvent): number => event.previous ?? event.seq - 1;

export interface FeedPage {
  head: number;
  /** The highest position retention has removed: reading after a lower one would miss events. */
  pruned: number;
  events: FeedEvent[];
}

export class FeedUnavailableError extends Error {
  constructor(
    readonly region: string,
    reason: string,
  ) {
    super(`the warning feed of region ${region} could not be read: ${reason}`);
  }
}

const RECONNECT_MS = 1000;
/** The abort reason of a stream dropped because the region's endpoint moved: reopened at once, and no trouble. */
const MOVED = Symbol('endpoint moved');
/** The region writes a keep-alive every 15 s; a stream silent for longer is dead. */
const SILENCE_MS = 40_000;

export class RegionFeed extends EventEmitter {
  /** The last position relayed; undefined until the stream first answered. */
  position: number | undefined;
  /**
   * Whether what is heard now follows on from `position` with nothing missed: the region's HTTP
   * stream always does (it starts from our position, or sets it), a NATS consumer only from its
   * second message on (it starts from the newest message, whatever came before).
   */
  protected unbroken = true;
  private controller: AbortController | undefined;
  protected stopped = false;
  private readonly tokens: GatewayIdentityTokens;

  constructor(
    readonly region: string,
    private readonly feedUrl: () => string | undefined,
    contextKey: SigningKey,
  ) {
    super();
    this.setMaxListeners(0);
    this.tokens = new GatewayIdentityTokens(contextKey);
  }

  /** The gateway's own context token for the feed (many subscribers may read pages at once). */
  private async headers(): Promise<Record<string, string>> {
    const token = await this.tokens.token('petitions', {
      subject: GATEWAY_IDENTITY,
      jurisdiction: this.region,
      roles: [],
      purpose: null,
      requestId: `feed-${this.region}`,
    });
    return { authorization: `Bearer ${token}` };
  }

  /** The feed after `after`, at most one page, read once. */
  async page(after: number): Promise<FeedPage> {
    const url = this.feedUrl();
    if (!url) throw new FeedUnavailableError(this.region, 'the region has no petitions endpoint');
    let response: Response;
    try {
      response = await fetch(`${url}?after=${after}&follow=0`, { headers: await this.headers(), signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new FeedUnavailableError(this.region, (error as Error).message);
    }
    if (!response.ok) throw new FeedUnavailableError(this.region, `HTTP ${response.status}`);
    const lines = (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const { head, pruned } = lines[0] as { head: number; pruned: number };
    return { head, pruned, events: lines.slice(1).filter((line) => 'seq' in line) as FeedEvent[] };
  }

  /** Follows the feed until `stop`, reconnecting after failures. */
  start(): void {
    void this.follow();
  }

  protected async follow(): Promise<void> {
    while (!this.stopped) {
      let moved = false;
      const controller = (this.controller = new AbortController());
      try {
        await this.streamOnce(controller);
      } catch (error) {
        moved = controller.signal.reason === MOVED;
        if (!this.stopped && !moved) this.emit('trouble', error);
      }
      if (!this.stopped && !moved) await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS).unref());
    }
  }

  /**
   * The region's endpoint moved (a reload of regions.yaml): the stream open to the old one is
   * dropped and opened again at once where `feedUrl` now points, from the last position relayed,
   * so that subscribers miss nothing and nothing comes twice.
   */
  reconnect(): void {
    this.controller?.abort(MOVED);
  }

  private async streamOnce(controller: AbortController): Promise<void> {
    const url = this.feedUrl();
    if (!url) throw new FeedUnavailableError(this.region, 'the region has no petitions endpoint');
    let silence = setTimeout(() => controller.abort(), SILENCE_MS);
    try {
      const after = this.position === undefined ? '' : String(this.position);
      const response = await fetch(`${url}?after=${after}`, { headers: await this.headers(), signal: controller.signal });
      if (!response.ok || !response.body) throw new FeedUnavailableError(this.region, `HTTP ${response.status}`);
      const decoder = new TextDecoder();
      let rest = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(silence);
        silence = setTimeout(() => controller.abort(), SILENCE_MS);
        rest += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline: number;
        while ((newline = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, newline);
          rest = rest.slice(newline + 1);
          if (line) this.take(JSON.parse(line));
        }
      }
    } finally {
      clearTimeout(silence);
    }
  }

  protected take(line: Partial<FeedEvent> & { head?: number }): void {
    if (line.head !== undefined) {
      // The first line: where the region stands (the stream starts there when we had no position).
      if (this.position === undefined) this.position = line.head;
      this.emit('ready', this.position);
      return;
    }
    if (line.seq === undefined) return; // keep-alive
    if (this.position !== undefined && line.seq <= this.position) return;
    const previous = this.unbroken ? this.position : undefined;
    this.position = line.seq;
    this.unbroken = true;
    this.emit('event', { ...line, previous } as FeedEvent);
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
  }
}
