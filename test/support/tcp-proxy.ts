import net from 'node:net';

/**
 * A TCP forwarder standing between a client and a real server, to make that link fail the
 * way networks and servers do: `forward` passes bytes both ways, `hang` accepts connections and
 * never answers (a hung region), `cut()` drops every open connection (a killed backend, a
 * reset link), and `stop()` closes the port (connection refused, as from a stopped server).
 * It counts the HTTP requests that reached it in either mode.
 */
export class TcpProxy {
  private mode: 'forward' | 'hang' = 'forward';
  /** HTTP requests (lines starting `POST `) received so far. */
  requests = 0;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly target: { host: string; port: number },
    readonly host: string,
    public port: number,
  ) {}

  static async start(target: { host: string; port: number }, listen: { host?: string; port?: number } = {}): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, listen.host ?? '127.0.0.1', listen.port ?? 0);
    await proxy.open();
    return proxy;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** Listens (again, on the same port after `stop()`). */
  async open(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** From now on connections are accepted and never answered (open ones are cut: keep-alive would bypass it). */
  hang(): void {
    this.mode = 'hang';
    this.cut();
  }

  forward(): void {
    this.mode = 'forward';
    this.cut();
  }

  cut(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.cut();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private accept(client: net.Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    client.on('data', (chunk) => (this.requests += (chunk.toString('latin1').match(/^POST /gm) ?? []).length));
    if (this.mode === 'hang') return;
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
