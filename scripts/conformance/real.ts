/**
 * Runs a lab script on real redis-server 7.0 processes (one per `server` statement, each with its
 * own temp dir) and records what the run shows, in the same RunObservation format as the engine.
 * How the servers are wired is the network's business (network.ts): by default each listens on its
 * own loopback port and replicas reach their masters through our proxy (`ProxyNetwork` below);
 * kernel.ts puts each in its own network namespace instead.
 *
 * Addresses: the observations are already mapped back to the script's declared addresses: real
 * server ports and pair-proxy ports in INFO (master_host/master_port, slaveN ip/port), ROLE, command
 * replies and log lines become the declared `host:port` of the server they lead to.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Reply } from '../../src/engine/reply';
import type { Version } from '../../src/engine/types';
import type { NetOp, Script, Statement } from '../../src/lab/ast';
import type { RunObservation, StepObservation } from '../../src/lab/observation';
import { parseLogLine } from '../../src/engine/log';
import { formatStatement } from '../../src/lab/script';
import type { AddressMapper, Endpoint, NetServer, RealNetwork } from './network';
import { ProxyNet } from './proxy';
import { RespClient } from './resp';

export interface RealRunOptions {
  /** First loopback port used: servers get base+0.., pair proxies base+20... Default 21000. */
  basePort?: number;
  log?: (s: string) => void;
  /** Keep the temp dirs (for debugging); their paths are logged. */
  keepDirs?: boolean;
  /** How the servers are wired (default: loopback and our proxy, `ProxyNetwork`). */
  network?: RealNetwork;
  /**
   * The version of the servers `useServerBinary` starts (default 7.0, Debian's): a script's
   * `version` statement must name it.
   */
  version?: Version;
}

/** The binary every launcher execs: `redis-server` on the PATH unless `--server PATH` said otherwise. */
let serverBinary = 'redis-server';

/** Starts every later server from `binary` (a built redis-server or valkey-server). */
export function useServerBinary(binary: string): void {
  serverBinary = binary;
}

interface Declared {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

interface Server extends Declared, NetServer {
  proc: ChildProcess | null;
  session: RespClient | null;
  observer: RespClient | null;
  /** Name of the server it replicates from (as its redis.conf `replicaof` would say), or null. */
  masterOf: string | null;
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: no redis-server may outlive us, whatever happens.

const liveProcs = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let handlersInstalled = false;

function killAllSync(): void {
  for (const p of liveProcs) {
    try {
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  liveProcs.clear();
  for (const d of liveDirs) fs.rmSync(d, { recursive: true, force: true });
  liveDirs.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  const onSignal = (sig: NodeJS.Signals, code: number) => () => {
    process.stderr.write(`\n${sig}: stopping redis-server processes\n`);
    killAllSync();
    process.exit(code);
  };
  process.on('SIGINT', onSignal('SIGINT', 130));
  process.on('SIGTERM', onSignal('SIGTERM', 143));
  process.on('SIGHUP', onSignal('SIGHUP', 129));
  process.on('uncaughtException', (e) => {
    process.stderr.write(`uncaught exception: ${e.stack ?? String(e)}\n`);
    killAllSync();
    process.exit(1);
  });
  process.on('unhandledRejection', (e) => {
    process.stderr.write(
      `unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    killAllSync();
    process.exit(1);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Comparisons lean on the real servers' cron ticks keeping their 100 ms phase; engine runs in the
 * other lane, or anything else on the machine, must not make them late. Ask the kernel to favour
 * them: nice -10 and, as root, SCHED_FIFO priority 1, so a server's timer wake-ups are not queued
 * behind busy processes (at a load of ~15 on 2 cores its ticks drifted ~17 ms/s at nice -10 and
 * ~4 ms/s with SCHED_FIFO). redis-server sleeps between events, and the kernel keeps 5% of each
 * second for other tasks in any case (sched_rt_runtime_us). Without root nothing changes.
 */
export function favourProcess(pid: number | undefined, sync = false): void {
  if (pid === undefined) return;
  try {
    os.setPriority(pid, -10);
  } catch {
    return; // not allowed: run at normal priority
  }
  if (process.getuid?.() !== 0) return;
  const args = ['-f', '-p', '1', String(pid)];
  if (sync) {
    try {
      execFileSync('chrt', args, { stdio: 'ignore', timeout: 5000 });
    } catch {
      // no chrt: nice -10 only
    }
  } else execFile('chrt', args, () => {});
}

function waitExit(p: ChildProcess, ms: number): Promise<boolean> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    p.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/**
 * A shell already running at the priority `favourProcess` gives, waiting to exec redis-server: told
 * a config file and a moment, it sleeps until then and execs it (the same process: its pid is
 * redis-server's). A server's boot moment sets its cron phase, which comparisons lean on, and on a
 * loaded machine starting a process at normal priority took 100-700 ms (and entering a network
 * namespace more); with the launcher waiting, neither that nor the harness's own late timers move
 * the boot. `prefix` runs the shell elsewhere (`ip netns exec NS`).
 */
export class Launcher {
  private constructor(private readonly child: ChildProcess) {}

  static open(prefix: readonly string[] = []): Launcher {
    // $0 is the binary: `sh -c SCRIPT BINARY`.
    const script = 'read -r delay conf || exit 0; sleep "$delay"; exec "$0" "$conf"';
    const [file, ...args] = [...prefix, 'sh', '-c', script, serverBinary];
    const child = spawn(file!, args, { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin!.on('error', () => {});
    liveProcs.add(child);
    child.once('exit', () => liveProcs.delete(child));
    favourProcess(child.pid, true);
    return new Launcher(child);
  }

  /** Execs redis-server with `conf` at wall-clock time `atMs` (now if past or not given). */
  start(conf: string, atMs = Date.now()): ChildProcess {
    const delay = Math.max(0, atMs - Date.now()) / 1000;
    this.child.stdin!.end(`${delay.toFixed(3)} ${conf}\n`);
    return this.child;
  }

  /** Lets an unused launcher exit. */
  close(): void {
    this.child.stdin!.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Address mapping (real addresses → declared script addresses).

/**
 * Real `host:port` → the declared address of the server it leads to: loopback ports of servers
 * and pair proxies (the proxy network), or namespace addresses (the kernel network). Each real
 * address is mapped once, so a real address that happens to look like a declared one is no
 * trouble.
 */
export class AddressMap implements AddressMapper {
  private readonly byAddr = new Map<string, Declared>();

  /** `host` defaults to loopback (the proxy network's servers and pair proxies). */
  add(port: number, to: Declared, host = '127.0.0.1'): void {
    this.byAddr.set(`${host}:${port}`, to);
  }

  lookup(host: string, port: number): Declared | undefined {
    return this.byAddr.get(`${host === 'localhost' ? '127.0.0.1' : host}:${port}`);
  }

  /** Map `H:P`, `ip=H,port=P` and `master_host:H\r\nmaster_port:P` (H an IPv4 address) in free text. */
  text(s: string): string {
    return s
      .replace(/ip=(\d+\.\d+\.\d+\.\d+),port=(\d+)/g, (m, h: string, p: string) => {
        const d = this.lookup(h, Number(p));
        return d ? `ip=${d.host},port=${d.port}` : m;
      })
      .replace(
        /master_host:(\d+\.\d+\.\d+\.\d+)(\r?\n)master_port:(\d+)/g,
        (m, h: string, nl: string, p: string) => {
          const d = this.lookup(h, Number(p));
          return d ? `master_host:${d.host}${nl}master_port:${d.port}` : m;
        },
      )
      .replace(/\b(\d+\.\d+\.\d+\.\d+):(\d+)\b/g, (m, h: string, p: string) => {
        const d = this.lookup(h, Number(p));
        return d ? `${d.host}:${d.port}` : m;
      });
  }

  /** INFO fields: slaveN values and the master_host/master_port pair. */
  info(fields: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
    const out: Array<[string, string]> = fields.map(([k, v]) => [
      k,
      /^slave\d+$/.test(k) ? this.text(v) : v,
    ]);
    const hi = out.findIndex(([k]) => k === 'master_host');
    const pi = out.findIndex(([k]) => k === 'master_port');
    if (hi >= 0 && pi >= 0) {
      const d = this.lookup(out[hi]![1], Number(out[pi]![1]));
      if (d) {
        out[hi] = ['master_host', d.host];
        out[pi] = ['master_port', String(d.port)];
      }
    }
    return out;
  }

  /** A ROLE reply. */
  role(r: Reply): Reply {
    if (r.t !== 'array' || !r.v) return r;
    const [kind] = r.v;
    if (kind?.t !== 'bulk') return r;
    if (kind.v === 'master' && r.v[2]?.t === 'array' && r.v[2].v) {
      const reps = r.v[2].v.map((e): Reply => {
        if (e.t !== 'array' || !e.v || e.v[0]?.t !== 'bulk' || e.v[1]?.t !== 'bulk') return e;
        const d = this.lookup(e.v[0].v ?? '', Number(e.v[1].v));
        if (!d) return e;
        return {
          t: 'array',
          v: [{ t: 'bulk', v: d.host }, { t: 'bulk', v: String(d.port) }, ...e.v.slice(2)],
        };
      });
      return { t: 'array', v: [r.v[0]!, r.v[1]!, { t: 'array', v: reps }] };
    }
    if (kind.v === 'slave' && r.v[1]?.t === 'bulk' && r.v[2]?.t === 'int') {
      const d = this.lookup(r.v[1].v ?? '', r.v[2].v);
      if (!d) return r;
      return {
        t: 'array',
        v: [r.v[0]!, { t: 'bulk', v: d.host }, { t: 'int', v: d.port }, ...r.v.slice(3)],
      };
    }
    return r;
  }

  /** Any command reply: strings mapped as text (recursively); ROLE replies structurally. */
  reply(r: Reply, cmd: string): Reply {
    if (cmd === 'ROLE') return this.role(r);
    switch (r.t) {
      case 'bulk':
        return r.v === null ? r : { t: 'bulk', v: this.text(r.v) };
      case 'status':
      case 'error':
        return { t: r.t, v: this.text(r.v) };
      case 'array':
        return r.v === null ? r : { t: 'array', v: r.v.map((x) => this.reply(x, '')) };
      default:
        return r;
    }
  }
}

/** Parse an INFO bulk reply into ordered [field, value] pairs (section headers skipped). */
export function parseInfo(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i < 0) continue;
    out.push([line.slice(0, i), line.slice(i + 1)]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * The default network: every server on its own loopback port (base + declaration index), replicas
 * reaching their masters through our TCP proxy, one listening port per (replica → master) pair
 * from base + 20 (proxy.ts says what each `net` mode does there).
 */
export class ProxyNetwork implements RealNetwork {
  readonly addresses = new AddressMap();
  private readonly proxy: ProxyNet;
  private nextProxyPort: number;
  /** A launcher ready for each server's next start (see Launcher). */
  private readonly launchers = new Map<string, Launcher>();

  constructor(
    private readonly base: number,
    log: (s: string) => void,
  ) {
    this.proxy = new ProxyNet(log);
    this.nextProxyPort = base + 20;
  }

  private port(s: NetServer): number {
    return this.base + s.index;
  }

  async declare(s: NetServer): Promise<void> {
    this.addresses.add(this.port(s), s);
    this.launchers.set(s.name, Launcher.open());
    await this.proxy.setRunning(s.name, true);
  }

  listenConfig(s: NetServer): string[] {
    return [`port ${this.port(s)}`, `bind 127.0.0.1`];
  }

  endpoint(s: NetServer): Endpoint {
    return { port: this.port(s), host: '127.0.0.1' };
  }

  spawnServer(s: NetServer, conf: string, atMs?: number): ChildProcess {
    const l = this.launchers.get(s.name) ?? Launcher.open();
    this.launchers.delete(s.name);
    return l.start(conf, atMs);
  }

  /** Points `from` at the from→to pair proxy (created on first use). */
  async replicaTarget(from: NetServer, to: NetServer): Promise<{ host: string; port: number }> {
    const existing = this.proxy.get(from.name, to.name);
    const port = existing?.listenPort ?? this.nextProxyPort++;
    if (!existing) this.addresses.add(port, to);
    return {
      host: '127.0.0.1',
      port: await this.proxy.ensureLink(from.name, to.name, port, this.port(to)),
    };
  }

  async setNet(s: NetServer, op: NetOp): Promise<void> {
    if (op === 'stop')
      throw new Error(
        `'net ${s.name} stop' takes a server's own interface down: the proxy cannot do that (the kernel runner can: --kernel)`,
      );
    await this.proxy.setMode(
      s.name,
      op === 'up' || op === 'start' ? 'up' : op === 'silent' ? 'silent' : 'down',
    );
  }

  async setRunning(s: NetServer, running: boolean): Promise<void> {
    // About to stop (restart): have a launcher ready for the start that may follow.
    if (!running && !this.launchers.has(s.name)) this.launchers.set(s.name, Launcher.open());
    await this.proxy.setRunning(s.name, running);
  }

  setBandwidth(bytesPerSec: number | null): void {
    // The proxy paces every link at this bandwidth; the latency is not reproduced (see proxy.ts),
    // so scripts compared with real Redis keep the LAN default.
    this.proxy.setBandwidth(bytesPerSec);
  }

  async close(): Promise<void> {
    for (const l of this.launchers.values()) l.close();
    this.launchers.clear();
    await this.proxy.closeAll();
  }
}

function configText(
  s: Server,
  net: RealNetwork,
  replicaOf: { host: string; port: number } | null,
): string {
  return [
    ...net.listenConfig(s),
    `dir ${s.dir}`,
    `save ""`,
    `appendonly no`,
    `loglevel notice`,
    `logfile ${path.join(s.dir, 'redis.log')}`,
    `daemonize no`,
    `protected-mode no`,
    ...(replicaOf !== null ? [`replicaof ${replicaOf.host} ${replicaOf.port}`] : []),
    '',
  ].join('\n');
}

async function startProcess(
  s: Server,
  net: RealNetwork,
  replicaOf: { host: string; port: number } | null,
  atMs?: number,
): Promise<void> {
  const conf = path.join(s.dir, 'redis.conf');
  fs.writeFileSync(conf, configText(s, net, replicaOf));
  const proc = net.spawnServer(s, conf, atMs);
  liveProcs.add(proc);
  favourProcess(proc.pid);
  proc.once('exit', () => liveProcs.delete(proc));
  s.proc = proc;
  const deadline = Date.now() + 10000;
  const ep = net.endpoint(s);
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`redis-server for ${s.name} exited at start (see ${s.dir}/redis.log)`);
    try {
      const c = await RespClient.connectTo(ep, 500);
      const r = await c.command(['PING'], 1000);
      if (r.t === 'status' && r.v === 'PONG') {
        s.observer = c;
        s.session = await RespClient.connectTo(ep);
        return;
      }
      c.close();
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server for ${s.name} did not start`);
    await sleep(20);
  }
}

async function stopProcess(s: Server, how: 'SAVE' | 'NOSAVE'): Promise<void> {
  const p = s.proc;
  s.session?.close();
  s.session = null;
  if (p && p.exitCode === null && p.signalCode === null) {
    if (s.observer && !s.observer.isClosed) {
      s.observer.send(how === 'SAVE' ? ['SHUTDOWN', 'SAVE'] : ['SHUTDOWN', 'NOSAVE', 'NOW']);
    }
    // SHUTDOWN SAVE may wait up to shutdown-timeout (10 s) for lagging replicas.
    const exited = await waitExit(p, how === 'SAVE' ? 15000 : 2000);
    if (!exited) {
      p.kill('SIGKILL');
      await waitExit(p, 2000);
    }
  }
  s.observer?.close();
  s.observer = null;
  s.proc = null;
}

/**
 * How long the last SHUTDOWN took by the server's own log: from "User requested shutdown..." to
 * "Redis is now ready to exit, bye bye..." (a 7.0 master waits there for lagging replicas;
 * Valkey's finishShutdown says "Valkey is now ready to exit, bye bye...").
 */
export function shutdownWaitMs(logFile: string): number {
  const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [];
  const at = (needle: string): number | null => {
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = parseLogLine(lines[i]!);
      if (l && l.msg.startsWith(needle)) return logTimeMs(l.time);
    }
    return null;
  };
  const from = at('User requested shutdown...');
  const to =
    at('Redis is now ready to exit, bye bye...') ?? at('Valkey is now ready to exit, bye bye...');
  return from !== null && to !== null && to >= from ? to - from : 0;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `dd Mon yyyy HH:MM:SS.mmm` (UTC or local: only differences are used) as ms. */
function logTimeMs(time: string): number {
  const m = /^(\d\d) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3})$/.exec(time)!;
  return Date.UTC(
    Number(m[3]),
    MONTHS.indexOf(m[2]!),
    Number(m[1]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number(m[7]),
  );
}

function isReplicaOf(argv: readonly string[]): boolean {
  const c = argv[0]?.toUpperCase();
  return (c === 'REPLICAOF' || c === 'SLAVEOF') && argv.length === 3;
}

/**
 * Script time a command spent blocked, as the engine counts it: the lab runs the simulation until
 * a blocked client gets its reply, so a WAIT that timed out (fewer replicas than asked, timeout >
 * 0) took its whole timeout. Without this, every later `wait` would end that much earlier than on
 * the engine, and observations would leave the late-in-the-second slot. A WAIT satisfied by ACKs
 * takes a round trip or two (< 1 ms on loopback), and every other command replies at once.
 */
export function blockedMs(argv: readonly string[], reply: Reply): number {
  if ((argv[0] ?? '').toUpperCase() !== 'WAIT' || argv.length !== 3 || reply.t !== 'int') return 0;
  const numreplicas = Number(argv[1]);
  const timeout = Number(argv[2]);
  if (!Number.isInteger(numreplicas) || !Number.isInteger(timeout) || timeout <= 0) return 0;
  return reply.v < numreplicas ? timeout : 0;
}

export async function runOnRealRedis(
  script: Script,
  opts: RealRunOptions = {},
): Promise<RunObservation> {
  installHandlers();
  const log = opts.log ?? (() => {});
  const base = opts.basePort ?? 21000;
  const version = opts.version ?? '7.0';
  for (const st of script.statements) {
    if (st.kind === 'version' && st.version !== version) {
      throw new Error(
        `version ${st.version}: this run starts ${serverBinary}, a ${version} server (give --server the path of a ${st.version} build: docs/versions.md)`,
      );
    }
  }
  const servers = new Map<string, Server>();
  const order: Server[] = [];
  const net = opts.network ?? new ProxyNetwork(base, log);
  const addr = net.addresses;
  const steps: StepObservation[] = [];
  const logs: Record<string, string[]> = {};

  const need = (name: string): Server => {
    const s = servers.get(name);
    if (!s) throw new Error(`unknown server '${name}'`);
    return s;
  };
  const findTarget = (host: string, port: string): Server | undefined => {
    const byName = servers.get(host);
    if (byName) return byName;
    return order.find((s) => s.host === host && String(s.port) === port);
  };

  // The script's clock, as the engine keeps it: ms since the first server booted.
  let scriptStart = Date.now();
  const removed = new Set<string>();
  let scriptMs = 0;
  try {
    for (let index = 0; index < script.statements.length; index++) {
      const st: Statement = script.statements[index]!;
      const text = formatStatement(st);
      log(`[${index}] ${text}`);
      switch (st.kind) {
        case 'server': {
          // The engine starts every server at once at hh:mm:ss.000 of its clock, so its cron ticks
          // fall just after each wall-clock second. Start the real ones alike: the consecutive
          // `server` statements together, just after a second boundary (the diskless delay and
          // PING counts depend on that phase).
          const batch: Array<Extract<Statement, { kind: 'server' }>> = [];
          while (index < script.statements.length && script.statements[index]!.kind === 'server') {
            batch.push(script.statements[index] as Extract<Statement, { kind: 'server' }>);
            index++;
          }
          index--;
          const started: Server[] = [];
          for (const b of batch) {
            if (servers.has(b.name)) throw new Error(`server ${b.name} declared twice`);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `resync-conf-${b.name}-`));
            liveDirs.add(dir);
            const s: Server = {
              name: b.name,
              host: b.host,
              port: b.port,
              index: order.length,
              dir,
              proc: null,
              session: null,
              observer: null,
              masterOf: null,
            };
            servers.set(s.name, s);
            order.push(s);
            await net.declare(s);
            started.push(s);
          }
          // …one after another, 100 ms apart (the engine's BOOT_MS in src/lab/run.ts), so their cron
          // ticks keep the same order as the engine's.
          let t0 = Date.now();
          if (order.length === started.length) {
            // The script clock starts on the wall-clock second itself, even if the timer wakes us
            // late: Redis counts timeouts and lags in whole seconds of time(NULL), as the engine
            // does on its clock, so the two must stay aligned. A late wake-up only delays the boots
            // (not at all: the network is told each boot moment ahead, at least 300 ms ahead, and
            // its launcher waits for it).
            const ahead = Date.now() + 300;
            const boundary = ahead - (ahead % 1000) + 1000 + 5;
            t0 = boundary - 100; // the first server boots at once
            scriptStart = boundary;
            log(`script time 0 is wall ${new Date(boundary).toISOString().slice(11, 23)}`);
          } else scriptMs += 100;
          // Each starts at its own moment, told ahead of time, without waiting for the one before
          // to answer PING: on a loaded machine that wait made every later boot, hence its cron
          // phase, later by the earlier ones' start-up.
          const ready: Array<Promise<void>> = [];
          for (let k = 0; k < started.length; k++) {
            if (k > 0) scriptMs += 100;
            const at = t0 + (k + 1) * 100;
            const s = started[k]!;
            ready.push(
              startProcess(s, net, null, at).then(() =>
                log(`${s.name} answers PING (wall ${new Date().toISOString().slice(11, 23)})`),
              ),
            );
          }
          await Promise.all(ready);
          break;
        }
        case 'command': {
          const s = need(st.server);
          let argv = [...st.argv];
          let newMaster: Server | null | undefined;
          if (isReplicaOf(argv)) {
            const [, host = '', port = ''] = argv;
            if (host.toUpperCase() === 'NO' && port.toUpperCase() === 'ONE') newMaster = null;
            else {
              const t = findTarget(host, port);
              if (t) {
                newMaster = t;
                const to = await net.replicaTarget(s, t);
                argv = [argv[0]!, to.host, String(to.port)];
              }
            }
          }
          if (!s.session) throw new Error(`${s.name} has no session`);
          if ((argv[0] ?? '').toUpperCase() === 'SHUTDOWN') {
            // SHUTDOWN answers with an error, or closes the connection when the process exits (a
            // master may first wait for its replicas). Its pair listeners close first, as for a
            // restart, so replicas reconnecting meanwhile are refused as by a stopped server.
            await net.setRunning(s, false);
            const p = s.proc;
            const r = await s.session.command(argv).then(
              (x) => x,
              () => null,
            );
            if (r !== null) {
              await net.setRunning(s, true);
              steps.push({ index, text, reply: addr.reply(r, 'SHUTDOWN') });
              scriptMs += 1;
              break;
            }
            if (p) await waitExit(p, 15000);
            s.session.close();
            s.session = null;
            s.observer?.close();
            s.observer = null;
            s.proc = null;
            // The engine's CONNECTION_CLOSED: redis-cli prints nothing.
            steps.push({ index, text, reply: { t: 'status', v: '' } });
            scriptMs += 1 + shutdownWaitMs(path.join(s.dir, 'redis.log'));
            break;
          }
          const raw = await s.session.command(argv);
          if (newMaster !== undefined && raw.t === 'status') s.masterOf = newMaster?.name ?? null;
          steps.push({ index, text, reply: addr.reply(raw, (argv[0] ?? '').toUpperCase()) });
          scriptMs += 1; // the lab's CLIENT_RTT_MS
          scriptMs += blockedMs(argv, raw);
          break;
        }
        case 'wait': {
          // Sleep until the script's own clock (the engine's: waits, 1 ms per command, 100 ms per
          // boot or restart) says so, so that slow commands on a loaded machine do not add up.
          scriptMs += st.ms;
          await sleep(Math.max(0, scriptStart + scriptMs - Date.now()));
          const info: Record<string, Array<[string, string]>> = {};
          const role: Record<string, Reply> = {};
          for (const s of order) {
            if (!s.observer) continue;
            const ir = await s.observer.command(['INFO', 'replication']);
            const rr = await s.observer.command(['ROLE']);
            info[s.name] = addr.info(ir.t === 'bulk' && ir.v !== null ? parseInfo(ir.v) : []);
            role[s.name] = addr.role(rr);
          }
          steps.push({ index, text, info, role });
          break;
        }
        case 'net': {
          const late = Date.now() - (scriptStart + scriptMs);
          await net.setNet(need(st.server), st.op);
          const done = Date.now() - (scriptStart + scriptMs);
          log(`net ${st.server} ${st.op}: began ${late} ms after its script time, done ${done} ms`);
          break;
        }
        case 'restart': {
          const s = need(st.server);
          // Close the pair listeners first, so replicas reconnecting at once are refused, as they
          // would be by a stopped redis-server.
          const t0 = Date.now();
          const wasRunning = s.proc !== null; // not after a SHUTDOWN of its own
          await net.setRunning(s, false);
          await stopProcess(s, 'SAVE');
          const t1 = Date.now();
          const m = s.masterOf ? need(s.masterOf) : null;
          await startProcess(s, net, m ? await net.replicaTarget(s, m) : null);
          await net.setRunning(s, true);
          const waited = wasRunning ? shutdownWaitMs(path.join(s.dir, 'redis.log')) : 0;
          log(
            `restart ${s.name}: stopped in ${t1 - t0} ms (its shutdown took ${waited} ms), answered PING ${Date.now() - t1} ms later`,
          );
          // The engine runs the simulation until the old process has exited (a master may wait
          // for its replicas' ACKs, up to shutdown-timeout), then RESTART_MS.
          scriptMs += waited + 100;
          break;
        }
        case 'remove': {
          const s = need(st.server);
          await net.setRunning(s, false);
          await stopProcess(s, 'NOSAVE');
          servers.delete(s.name);
          removed.add(s.name);
          break;
        }
        case 'link':
          net.setBandwidth(st.bytesPerSec);
          break;
        case 'show':
        case 'clock':
        case 'version':
          break; // nothing to do / observe on real Redis
      }
    }
    for (const s of order) {
      if (removed.has(s.name)) continue; // gone from the lab, as on the engine
      const f = path.join(s.dir, 'redis.log');
      const lines = fs.existsSync(f)
        ? fs
            .readFileSync(f, 'utf8')
            .split('\n')
            .filter((l) => l.length > 0)
        : [];
      logs[s.name] = lines.map((l) => addr.text(l));
    }
  } finally {
    await Promise.all(order.map((s) => stopProcess(s, 'NOSAVE')));
    await net.close();
    for (const s of order) {
      if (opts.keepDirs) continue;
      fs.rmSync(s.dir, { recursive: true, force: true });
      liveDirs.delete(s.dir);
    }
  }
  return { steps, logs };
}
