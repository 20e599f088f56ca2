/**
 * Our own TCP proxy between replicas and their masters, so that `net NAME down` can cut NAME's
 * links for real. There is one listening port per (client server → target server) pair: when a
 * script runs `A REPLICAOF B ...`, real.ts points A at the pair proxy A→B, and the proxy forwards to
 * B's real port. A link belongs to both of its ends: it is affected by the net mode of A and of B
 * (the "worst" one wins: down > silent > up).
 *
 * Modes:
 * - `down`: every connection through the link is destroyed on both sides with a TCP reset
 *   (socket.resetAndDestroy()), and the pair's listening socket is closed, so new connections are
 *   refused (ECONNREFUSED, what Redis logs as "Error condition on socket for SYNC: Connection
 *   refused") until `up`. We close the listener rather than accept-then-reset: a refused connect is
 *   deterministic, while accept+RST races with the replica's PING and gives timing-dependent logs.
 * - `down silent`: sockets stay open, all bytes in both directions are read and discarded (never
 *   written), FIN/close of one side is not passed on either. New connections must hang as they do
 *   when SYNs vanish: the pair's port is handed to a "tarpit", a stopped child process listening
 *   with a full accept queue, so the kernel drops further SYNs; the connecting side retransmits
 *   them (after 1, 2, 4… s) and gets through once the link is up again. Nobody is told: only
 *   repl-timeout notices.
 * - `up`: new connections are forwarded again. Connections that were silently dropped stay
 *   "blackholed" forever (real TCP would have lost those bytes, so the stream can't resume); each
 *   end finds out through its own timeout and reconnects through a fresh, forwarded connection.
 *
 * A target that is not running (during `restart`) also has its pair listeners closed, so replicas
 * get "Connection refused" exactly as they would connecting to a stopped redis-server.
 *
 * Bandwidth (`latency … bandwidth SIZE`, setBandwidth): every direction of every connection is
 * paced on its own, as the engine paces each connection's senders (a message of n bytes finishes
 * n/rate after the previous one on the same connection and direction). A `Pipe` keeps a virtual
 * clock: byte k may leave no earlier than `start + k/rate`, where `start` is when the pipe last
 * went from idle to busy. No burst is allowed after idle (the engine has none). Granularity: a
 * timer forwards what is due at most every PACE_MS (5 ms), so bytes leave in slices of about
 * rate × 5 ms, each slice no earlier than its last byte's due time; a late timer (busy event loop)
 * is caught up at the next slice, so the average rate holds. The engine delivers a message whole
 * when its last byte has gone (plus latency); here the receiver sees the bytes arrive slice by
 * slice, which is what real TCP does (a replica's master_sync_read_bytes grows during a slow
 * RDB transfer). The proxy reads from the sender without limit up to HIGH_WATER bytes queued per
 * direction (4 MiB, about Linux's largest default TCP send buffer), then pauses reading until
 * the queue is below half of it, so a sender sees backpressure only on very large transfers.
 * Latency is not reproduced: loopback plus the proxy take ~0.1 ms, close to the engine's 0.5 ms
 * default; scripts that compare with real Redis keep the default latency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export type NetMode = 'up' | 'down' | 'silent';

interface Conn {
  readonly client: net.Socket;
  upstream: net.Socket | null;
  blackholed: boolean;
  /** client → upstream and upstream → client, paced when a bandwidth is set. */
  toUpstream: Pipe | null;
  toClient: Pipe | null;
}

const rank: Record<NetMode, number> = { up: 0, silent: 1, down: 2 };

/** How long a cut waits for bytes already sent to pass (see setMode). */
const DRAIN_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Shortest interval between two paced writes on one pipe (see the header: granularity). */
export const PACE_MS = 5;
/** Bytes queued in one direction before the proxy stops reading from the sender. */
export const HIGH_WATER = 4 * 1024 * 1024;

/**
 * One direction of a proxied connection: bytes from `src` are written to `dst`, at once when no
 * bandwidth is set, else paced at `rate()` bytes per second (see the header).
 */
export class Pipe {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  /** Virtual time (performance.now() ms) at which the next queued byte is due. */
  private clock = 0;
  private timer: NodeJS.Timeout | null = null;
  private ending = false;
  private closed = false;

  constructor(
    private readonly src: net.Socket,
    private readonly dst: net.Socket,
    private readonly rate: () => number | null,
  ) {}

  /** Bytes waiting to be forwarded. */
  get pending(): number {
    return this.queued;
  }

  push(d: Buffer): void {
    if (this.closed || this.ending) return;
    if (this.rate() === null && this.queued === 0) {
      if (!this.dst.destroyed) this.dst.write(d);
      return;
    }
    if (this.queued === 0) this.clock = Math.max(this.clock, performance.now());
    this.queue.push(d);
    this.queued += d.length;
    if (this.queued > HIGH_WATER && !this.src.isPaused()) this.src.pause();
    this.pump();
  }

  /** The sender closed cleanly (FIN): pass it on once the queued bytes have left. */
  end(): void {
    if (this.closed) return;
    this.ending = true;
    if (this.queued === 0) {
      this.closed = true;
      if (!this.dst.destroyed) this.dst.end();
    }
  }

  /** Forget what is queued (the link was reset or went silent: those bytes are lost). */
  drop(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queued = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The bandwidth changed: forward what is now due (everything, if unlimited). */
  kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pump();
  }

  private pump(): void {
    if (this.timer || this.closed) return;
    const r = this.rate();
    const now = performance.now();
    let n = this.queued;
    if (r !== null) n = Math.min(n, Math.floor(((now - this.clock) * r) / 1000));
    if (n > 0) {
      const out = this.take(n);
      if (r !== null) this.clock += (n * 1000) / r;
      if (!this.dst.destroyed) this.dst.write(out);
    }
    if (this.src.isPaused() && this.queued <= HIGH_WATER / 2 && !this.src.destroyed)
      this.src.resume();
    if (this.queued === 0) {
      if (this.ending) this.end();
      return;
    }
    // r is not null here: an unlimited pipe forwards everything at once.
    const dueIn = this.clock + 1000 / r! - now;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(PACE_MS, Math.ceil(dueIn)),
    );
  }

  private take(n: number): Buffer {
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const head = this.queue[0]!;
      if (head.length <= left) {
        parts.push(head);
        this.queue.shift();
        left -= head.length;
      } else {
        parts.push(head.subarray(0, left));
        this.queue[0] = head.subarray(left);
        left = 0;
      }
    }
    this.queued -= n;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

const liveTarpits = new Set<ChildProcess>();
// A stopped child must not outlive us, whatever way we exit.
process.on('exit', () => {
  for (const c of liveTarpits) c.kill('SIGKILL');
});

/** A listener that never accepts: a SIGSTOPped process whose accept queue we fill ourselves. */
class Tarpit {
  private constructor(
    private readonly child: ChildProcess,
    private readonly fill: net.Socket[],
  ) {}

  static async open(port: number): Promise<Tarpit> {
    const code = `require('net').createServer(()=>{}).listen({port:${port},host:'127.0.0.1',backlog:1},()=>process.stdout.write('ready\\n'))`;
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', () => reject(new Error(`tarpit on port ${port} exited`)));
    });
    liveTarpits.add(child);
    child.once('exit', () => liveTarpits.delete(child));
    child.kill('SIGSTOP');
    const fill: net.Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const sock = net.connect(port, '127.0.0.1');
      sock.on('error', () => {});
      fill.push(sock);
    }
    await sleep(50);
    return new Tarpit(child, fill);
  }

  async close(): Promise<void> {
    for (const f of this.fill) f.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const gone = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await gone;
    }
  }
}

class Link {
  server: net.Server | null = null;
  tarpit: Tarpit | null = null;
  readonly conns = new Set<Conn>();
  constructor(
    readonly from: string,
    readonly to: string,
    readonly listenPort: number,
    readonly targetPort: number,
  ) {}
}

export class ProxyNet {
  private readonly modes = new Map<string, NetMode>();
  private readonly running = new Map<string, boolean>();
  private readonly links = new Map<string, Link>();
  private bytesPerSec: number | null = null;

  constructor(private readonly log: (s: string) => void = () => {}) {}

  /** `latency … bandwidth SIZE`: the throughput of every link, each direction apart (null: unlimited). */
  setBandwidth(bytesPerSec: number | null): void {
    if (bytesPerSec !== null && !(bytesPerSec > 0))
      throw new Error(`bandwidth must be positive, got ${bytesPerSec}`);
    this.bytesPerSec = bytesPerSec;
    for (const l of this.links.values())
      for (const c of l.conns) {
        c.toUpstream?.kick();
        c.toClient?.kick();
      }
  }

  /** The net mode of a server (default up). */
  mode(name: string): NetMode {
    return this.modes.get(name) ?? 'up';
  }

  /** Mark whether a server process is running (its pair listeners are open only while it is). */
  async setRunning(name: string, running: boolean): Promise<void> {
    this.running.set(name, running);
    for (const l of this.links.values()) if (l.to === name) await this.syncListener(l);
  }

  /** The existing pair link from→to, if any. */
  get(from: string, to: string): { listenPort: number } | undefined {
    return this.links.get(`${from}->${to}`);
  }

  /** Create (or return) the pair link from→to and make its listener match the current modes. */
  async ensureLink(
    from: string,
    to: string,
    listenPort: number,
    targetPort: number,
  ): Promise<number> {
    const key = `${from}->${to}`;
    let l = this.links.get(key);
    if (!l) {
      l = new Link(from, to, listenPort, targetPort);
      this.links.set(key, l);
    }
    await this.syncListener(l);
    return l.listenPort;
  }

  /** `net NAME down|down silent|up`. */
  async setMode(name: string, mode: NetMode): Promise<void> {
    this.modes.set(name, mode);
    const mine = [...this.links.values()].filter((l) => l.from === name || l.to === name);
    // Bytes a server wrote before the cut (the stream of the write the script ran just before)
    // may still be on their way through loopback and our event loop: let them through first, as
    // the engine does for bytes sent before the cut.
    if (mine.some((l) => this.linkMode(l) !== 'up')) {
      await sleep(DRAIN_MS);
      // An event loop that was busy (an engine run in the other lane) runs expired timers before
      // it reads sockets: let one poll phase pass so the bytes already here are forwarded.
      await new Promise((r) => setImmediate(r));
    }
    // Then a silent cut swallows bytes on every link at once (starting a tarpit takes ~100 ms and
    // must not let a PING through).
    for (const l of mine) {
      if (this.linkMode(l) === 'silent')
        for (const c of l.conns) {
          c.blackholed = true;
          // Bytes still queued at the link's pace are in flight: a silent cut loses them (the
          // engine drops messages that arrive on a blackholed connection).
          c.toUpstream?.drop();
          c.toClient?.drop();
        }
    }
    // Refuse new connections before resetting: a replica reconnects the moment its link resets.
    for (const l of mine) await this.syncListener(l);
    for (const l of mine) {
      if (this.linkMode(l) === 'down') for (const c of [...l.conns]) this.reset(l, c);
      // up: blackholed connections stay blackholed (see header).
    }
  }

  /** Close everything (end of run). */
  async closeAll(): Promise<void> {
    for (const l of this.links.values()) {
      for (const c of [...l.conns]) this.reset(l, c);
      await closeServer(l.server);
      l.server = null;
      await l.tarpit?.close();
      l.tarpit = null;
    }
    this.links.clear();
  }

  private linkMode(l: Link): NetMode {
    const a = this.mode(l.from);
    const b = this.mode(l.to);
    return rank[a] >= rank[b] ? a : b;
  }

  private reset(l: Link, c: Conn): void {
    c.toUpstream?.drop();
    c.toClient?.drop();
    if (!c.client.destroyed) c.client.resetAndDestroy();
    if (c.upstream && !c.upstream.destroyed) c.upstream.resetAndDestroy();
    l.conns.delete(c);
  }

  private async syncListener(l: Link): Promise<void> {
    const running = this.running.get(l.to) !== false;
    const mode = this.linkMode(l);
    const wantTarpit = running && mode === 'silent';
    const want = running && mode === 'up';
    if (!wantTarpit && l.tarpit) {
      const t = l.tarpit;
      l.tarpit = null;
      await t.close();
    }
    if (wantTarpit && !l.tarpit) {
      if (l.server) {
        const srv = l.server;
        l.server = null;
        await closeServer(srv);
      }
      l.tarpit = await Tarpit.open(l.listenPort);
      return;
    }
    if (want && !l.server) {
      const srv = net.createServer((sock) => this.onConnection(l, sock));
      l.server = srv;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(l.listenPort, '127.0.0.1', () => {
          srv.removeListener('error', reject);
          resolve();
        });
      });
    } else if (!want && l.server) {
      const srv = l.server;
      l.server = null;
      await closeServer(srv);
    }
  }

  private onConnection(l: Link, client: net.Socket): void {
    const mode = this.linkMode(l);
    if (mode === 'down') {
      client.resetAndDestroy();
      return;
    }
    const c: Conn = {
      client,
      upstream: null,
      blackholed: mode === 'silent',
      toUpstream: null,
      toClient: null,
    };
    l.conns.add(c);
    client.setNoDelay(true);
    const forget = (): void => {
      if (client.destroyed && (!c.upstream || c.upstream.destroyed)) l.conns.delete(c);
    };
    client.on('error', () => {});
    if (c.blackholed) {
      this.log(`proxy ${l.from}->${l.to}: new connection blackholed`);
      client.on('data', () => {});
      client.on('close', forget);
      return;
    }
    const up = net.connect({ port: l.targetPort, host: '127.0.0.1' });
    c.upstream = up;
    up.setNoDelay(true);
    up.on('error', () => {});
    const rate = (): number | null => this.bytesPerSec;
    const toUp = new Pipe(client, up, rate);
    const toClient = new Pipe(up, client, rate);
    c.toUpstream = toUp;
    c.toClient = toClient;
    client.on('data', (d: Buffer) => {
      if (!c.blackholed) toUp.push(d);
    });
    up.on('data', (d: Buffer) => {
      if (!c.blackholed) toClient.push(d);
    });
    client.on('close', (hadError) => {
      if (!c.blackholed && !up.destroyed) {
        if (hadError) {
          toUp.drop();
          up.resetAndDestroy();
        } else toUp.end();
      }
      forget();
    });
    up.on('close', (hadError) => {
      if (!c.blackholed && !client.destroyed) {
        if (hadError) {
          toClient.drop();
          client.resetAndDestroy();
        } else toClient.end();
      }
      forget();
    });
  }
}

function closeServer(srv: net.Server | null): Promise<void> {
  if (!srv) return Promise.resolve();
  // close() stops listening at once; its callback waits for open connections, so don't wait on it.
  return new Promise((resolve) => {
    srv.close();
    setImmediate(resolve);
  });
}
