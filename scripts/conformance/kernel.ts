/**
 * The kernel runner's network: every redis-server in its own network namespace, all joined by a
 * bridge, so that a cut is a real interface going down and what the servers meet is the kernel's
 * own TCP: retransmissions with backoff once the path is back, SYN retries, "Network is
 * unreachable". The proxy (proxy.ts) cannot show that: it swallows bytes for good.
 *
 *   rlk<pid>x<run>b          the bridge namespace: bridge br0, one port p<i> per server
 *   rlk<pid>x<run>s<i>       server i (declaration index): eth0 = 10.200.0.<i+1>/24, port 6379,
 *                            veth peer of p<i>; redis-server started with `ip netns exec`
 *
 * 10.200.0.0/24 is only ever configured inside these namespaces (the root namespace has no route
 * to it), and the namespaces have no route anywhere else: nothing leaves the lab.
 *
 * The harness itself stays in the root namespace and reaches each server through its unix socket
 * (`unixsocket` in the server's temp dir): unix sockets do not belong to a network namespace, so
 * the script's client session and the observation connection work while the interface is down.
 *
 * `net` statements:
 * - `stop`: `ip -n S link set eth0 down`, as `rc-service networking stop` does. The server's own
 *   connect() fails at once ("Network is unreachable": its connected route went with the link);
 *   its peers' packets to it are dropped by the bridge (the port has no carrier), nobody is told.
 * - `down silent`: p<i> leaves the bridge (`nomaster`): packets between the server and the others
 *   vanish in the network, both interfaces stay up with carrier, so neither kernel sees a local
 *   error. (Taking p<i> down instead, as first planned, takes eth0's carrier away: its packets are
 *   then dropped by its own veth, counted as TX drops, which is not a cut in the network.)
 * - `up` / `start`: undo whichever cut the server is in, as the engine does (both mean `up`).
 * - `down` (a reset) has no kernel counterpart here (it needs RSTs the network does not send):
 *   such a script stays with the proxy runner; `kernelRefusal` says so if it also needs the kernel.
 *
 * Neighbours are permanent (static ARP entries, re-added after `start`): with dynamic ARP, a peer
 * gone for a few seconds becomes FAILED and the kernel answers a connect() with "No route to host"
 * after ~3 s (seen in a probe), which is a host missing from a LAN, not packets vanishing.
 *
 * Each server namespace pins `net.ipv4.tcp_syn_linear_timeouts` to 0: the classic SYN schedule
 * (retries 1, 2, 4, 8… s apart) that the engine models and kernels before 6.7 (Debian 12's 6.1)
 * have. Since 6.7 the default 4 retries the first 4 times 1 s apart (1, 2, 3, 4, 5, 7, 11… s);
 * `CONFORMANCE_SYN_LINEAR_TIMEOUTS=4` keeps the host's newer schedule for experiments.
 *
 * Everything created is deleted in close() (namespaces: their veths and the bridge go with them),
 * on process exit (signals too: real.ts exits on them) by a synchronous cleanup, and namespaces
 * named rl<letters><pid>… whose creator is no longer alive (a crashed or SIGKILLed run, or
 * shared/tools/real-cut-probe.sh) are removed before the first run.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { NetOp, Script } from '../../src/lab/ast';
import type { Endpoint, NetServer, RealNetwork } from './network';
import { asksForKernel } from './pragma';
import { AddressMap, favourProcess, Launcher } from './real';

/** The lab's subnet, /24: server i gets .i+1. Only configured inside the lab's namespaces. */
export const KERNEL_SUBNET = '10.200.0';
/** Every server listens on the default port in its own namespace. */
export const KERNEL_PORT = 6379;

/** Server i's address in its namespace. */
export function kernelAddress(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 252)
    throw new Error(`the kernel runner has room for 253 servers (index ${index})`);
  return `${KERNEL_SUBNET}.${index + 1}`;
}

/** Server i's MAC address (locally administered), so static neighbour entries need no lookup. */
export function kernelMac(index: number): string {
  return `02:52:4c:00:${((index >> 8) & 0xff).toString(16).padStart(2, '0')}:${(index & 0xff).toString(16).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Which runner a script needs.

export type Runner = 'proxy' | 'kernel';

/** Net operations only the kernel runner can do. */
const KERNEL_OPS: ReadonlySet<NetOp> = new Set<NetOp>(['stop', 'start', 'silent']);

/**
 * Which real network runs a script:
 * - `stop` / `start` (a server's own interface down / up) and `down silent` (packets vanish in
 *   the network; TCP retransmits them once it is back, as the engine does: src/engine/net.ts
 *   `retransmits`) need the kernel's own TCP: the proxy would swallow the bytes for good;
 * - a script can ask for the kernel with a header line `# conformance: kernel`, and `--kernel`
 *   forces it for every script (experiments).
 * Everything else keeps the proxy: it runs on any machine, without root.
 */
export function chooseRunner(script: Script, text: string, forceKernel = false): Runner {
  if (forceKernel || asksForKernel(text)) return 'kernel';
  for (const st of script.statements)
    if (st.kind === 'net' && KERNEL_OPS.has(st.op)) return 'kernel';
  return 'proxy';
}

/** Why the kernel runner cannot run this script, or null. */
export function kernelRefusal(script: Script): string | null {
  for (const st of script.statements) {
    if (st.kind === 'net' && st.op === 'down')
      return `line ${st.pos.line}: 'net ${st.server} down' (a reset) needs the proxy runner, which cannot do the kernel cuts (stop/start, or silent cuts that TCP retransmits after) this script asks for: split the script`;
    if (st.kind === 'link' && st.bytesPerSec !== null)
      return `line ${st.pos.line}: a bandwidth limit needs the proxy runner (no traffic shaping in the namespaces)`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// ip(8)

function ip(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: 10000 }, (err, _out, stderr) => {
      if (err) reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

/**
 * A persistent `ip -batch` process in one namespace, at real-time priority, for the cuts: a cut
 * must land when the script says. A plain `ip` took 270-300 ms to start on a machine loaded 15 on
 * 2 cores, and even `chrt ip` ~100-250 ms at a load of 30 (the new process waits for the CPU before
 * it can raise its priority); this one is running already. Each `run` sends its commands and a
 * marker (`link show dev lo`, one line with -o, flushed per line by stdbuf) and resolves when the
 * marker's line comes back; a line on stderr ("Command failed") rejects it.
 */
class IpShell {
  private readonly proc: ChildProcess;
  private out = '';
  private err = '';
  private waiting: { resolve: () => void; reject: (e: Error) => void; cmds: string } | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ns: string) {
    this.proc = spawn('stdbuf', ['-oL', 'ip', '-n', ns, '-o', '-force', '-batch', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    favourProcess(this.proc.pid, true);
    this.proc.stdin!.on('error', () => {});
    this.proc.stdout!.on('data', (d: Buffer) => {
      this.out += d.toString();
      this.check();
    });
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.err += d.toString();
    });
    this.proc.once('exit', () => {
      this.waiting?.reject(new Error(`ip -batch in ${ns} exited: ${this.err.trim()}`));
      this.waiting = null;
    });
  }

  private check(): void {
    const w = this.waiting;
    if (!w || !/^\d+: lo: .*$/m.test(this.out)) return;
    this.waiting = null;
    const err = this.err.trim();
    this.out = '';
    this.err = '';
    if (err) w.reject(new Error(`ip -n ${this.ns}: ${w.cmds}: ${err}`));
    else w.resolve();
  }

  run(commands: readonly string[]): Promise<void> {
    const go = (): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const cmds = commands.join('; ');
        this.waiting = { resolve, reject, cmds };
        this.proc.stdin!.write([...commands, 'link show dev lo'].map((c) => `${c}\n`).join(''));
      });
    const p = this.queue.then(go);
    this.queue = p.catch(() => {});
    return p;
  }

  close(): void {
    this.proc.stdin!.end();
  }
}

function ipSync(args: readonly string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** Kills what still runs in a namespace and deletes it (its veths, hence the bridge ports, go too). */
function deleteNamespaceSync(ns: string): void {
  for (const pid of ipSync(['netns', 'pids', ns]).split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  ipSync(['netns', 'del', ns]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The creator pid of a lab namespace name (rl, letters, pid, anything), or null for others. */
export function namespaceOwner(name: string): number | null {
  const m = /^rl[a-z]+(\d+)/.exec(name);
  return m ? Number(m[1]) : null;
}

/** Deletes lab namespaces whose creator is gone (a crashed or killed run). */
export function cleanupStaleNamespaces(log: (s: string) => void = () => {}): void {
  for (const line of ipSync(['netns', 'list']).split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    const owner = namespaceOwner(ns);
    if (owner === null || owner === process.pid || alive(owner)) continue;
    log(`removing stale namespace ${ns} (its creator, pid ${owner}, is gone)`);
    deleteNamespaceSync(ns);
  }
}

const liveNamespaces = new Set<string>();
process.on('exit', () => {
  for (const ns of [...liveNamespaces].reverse()) deleteNamespaceSync(ns);
  liveNamespaces.clear();
});

let staleChecked = false;
let runs = 0;

/** Whether this machine can run the kernel runner (root and `ip netns`), or why not. */
export function kernelUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the kernel runner needs root (ip netns, veth, bridge)';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return 'the kernel runner needs iproute2 (ip netns)';
  }
  return null;
}

type Cut = 'up' | 'silent' | 'stopped';

interface Node {
  readonly server: NetServer;
  readonly ns: string;
  readonly ip: IpShell;
  cut: Cut;
  /** A launcher waiting in the namespace (see spawnServer). */
  launcher: Launcher | null;
}

/** The namespaces network (see the top of this file). */
export class KernelNetwork implements RealNetwork {
  readonly addresses = new AddressMap();
  private readonly prefix: string;
  private readonly nodes = new Map<string, Node>();
  /** Every namespace this network created, in order (the bridge's first). */
  private readonly created: string[] = [];
  private bridgeReady = false;
  private bridgeIp: IpShell | null = null;

  constructor(private readonly log: (s: string) => void = () => {}) {
    this.prefix = `rlk${process.pid}x${++runs}`;
    if (!staleChecked) {
      staleChecked = true;
      cleanupStaleNamespaces(log);
    }
  }

  private get bridge(): string {
    return `${this.prefix}b`;
  }

  private node(s: NetServer): Node {
    const n = this.nodes.get(s.name);
    if (!n) throw new Error(`server ${s.name} has no namespace`);
    return n;
  }

  private async addNamespace(ns: string): Promise<void> {
    liveNamespaces.add(ns);
    this.created.push(ns);
    await ip(['netns', 'add', ns]);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
  }

  /** `ip neigh` commands giving `self` a permanent entry for `of` (every other server if null). */
  private neighbourCommands(self: Node, of: Node | null): string[] {
    const out: string[] = [];
    for (const o of of ? [of] : this.nodes.values()) {
      if (o === self) continue;
      const [addr, mac] = [kernelAddress(o.server.index), kernelMac(o.server.index)];
      out.push(`neigh replace ${addr} lladdr ${mac} nud permanent dev eth0`);
    }
    return out;
  }

  private async neighbours(self: Node, of: Node | null): Promise<void> {
    const cmds = this.neighbourCommands(self, of);
    if (cmds.length > 0) await self.ip.run(cmds);
  }

  async declare(s: NetServer): Promise<void> {
    if (!this.bridgeReady) {
      await this.addNamespace(this.bridge);
      await ip(['-n', this.bridge, 'link', 'add', 'br0', 'type', 'bridge']);
      await ip(['-n', this.bridge, 'link', 'set', 'br0', 'up']);
      this.bridgeIp = new IpShell(this.bridge);
      this.bridgeReady = true;
    }
    const ns = `${this.prefix}s${s.index}`;
    const addr = kernelAddress(s.index);
    await this.addNamespace(ns);
    // The veth is created with each end in its namespace: no name is ever taken in the root one.
    // (ip link add eth0 netns S address MAC type veth peer name pI netns B)
    await ip([
      'link',
      'add',
      'eth0',
      'netns',
      ns,
      'address',
      kernelMac(s.index),
      'type',
      'veth',
      'peer',
      'name',
      `p${s.index}`,
      'netns',
      this.bridge,
    ]);
    await ip(['-n', this.bridge, 'link', 'set', `p${s.index}`, 'master', 'br0', 'up']);
    await ip(['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', 'eth0']);
    await ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    await this.sysctls(ns);
    const node: Node = { server: s, ns, ip: new IpShell(ns), cut: 'up', launcher: null };
    node.launcher = this.launcher(node);
    this.nodes.set(s.name, node);
    await this.neighbours(node, null);
    // A stopped server's interface is down: it gets its entries back at `start`.
    for (const o of this.nodes.values())
      if (o !== node && o.cut !== 'stopped') await this.neighbours(o, node);
    this.addresses.add(KERNEL_PORT, s, addr);
    this.log(`${s.name}: namespace ${ns}, ${addr}:${KERNEL_PORT}`);
  }

  /** Per-namespace TCP settings (see the top of this file). */
  private async sysctls(ns: string): Promise<void> {
    const linear = process.env['CONFORMANCE_SYN_LINEAR_TIMEOUTS'] ?? '0';
    if (!/^\d+$/.test(linear)) throw new Error('CONFORMANCE_SYN_LINEAR_TIMEOUTS must be a number');
    const f = '/proc/sys/net/ipv4/tcp_syn_linear_timeouts';
    // IPv6 off: no router solicitations or DAD on the bridge, only the lab's IPv4 traffic.
    await new Promise<void>((resolve, reject) => {
      execFile(
        'ip',
        [
          'netns',
          'exec',
          ns,
          'sh',
          '-c',
          `echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; if [ -e ${f} ]; then echo ${linear} > ${f}; fi`,
        ],
        (err, _o, stderr) => (err ? reject(new Error(`sysctls in ${ns}: ${stderr}`)) : resolve()),
      );
    });
  }

  listenConfig(s: NetServer): string[] {
    return [
      `port ${KERNEL_PORT}`,
      `bind ${kernelAddress(s.index)}`,
      `unixsocket ${this.socketPath(s)}`,
      `unixsocketperm 700`,
    ];
  }

  private socketPath(s: NetServer): string {
    return path.join(s.dir, 'redis.sock');
  }

  endpoint(s: NetServer): Endpoint {
    return { path: this.socketPath(s) };
  }

  /**
   * Starts redis-server in the server's namespace, through a launcher already waiting there (real.ts
   * `Launcher`; opened at `declare`, and for a `restart` when the old process is asked to stop):
   * entering a namespace takes 50-400 ms on a loaded machine, and must not move the boot.
   */
  spawnServer(s: NetServer, conf: string, atMs?: number): ChildProcess {
    const n = this.node(s);
    const l = n.launcher ?? this.launcher(n);
    n.launcher = null;
    return l.start(conf, atMs);
  }

  private launcher(n: Node): Launcher {
    return Launcher.open(['ip', 'netns', 'exec', n.ns]);
  }

  replicaTarget(_from: NetServer, to: NetServer): Promise<{ host: string; port: number }> {
    return Promise.resolve({ host: kernelAddress(to.index), port: KERNEL_PORT });
  }

  async setNet(s: NetServer, op: NetOp): Promise<void> {
    const n = this.node(s);
    if (op === 'down') throw new Error(`'net ${s.name} down' (a reset) needs the proxy runner`);
    const want: Cut = op === 'silent' ? 'silent' : op === 'stop' ? 'stopped' : 'up';
    const was = n.cut;
    if (want === was) return;
    const port = `p${s.index}`;
    // Cut first, then restore, so a move from one cut to the other never lets a packet through.
    const bridge = this.bridgeIp!;
    if (want === 'stopped') await n.ip.run(['link set eth0 down']);
    if (want === 'silent') await bridge.run([`link set ${port} nomaster`]);
    if (was === 'silent') await bridge.run([`link set ${port} master br0`]);
    if (was === 'stopped')
      // A link going down flushes its neighbour entries, permanent ones too: back with the link.
      await n.ip.run(['link set eth0 up', ...this.neighbourCommands(n, null)]);
    n.cut = want;
    this.log(`${s.name}: ${was} -> ${want}`);
  }

  setRunning(s: NetServer, running: boolean): Promise<void> {
    // A stopped redis-server's address refuses connections by itself; only have a launcher ready
    // for the start that may follow.
    const n = this.node(s);
    if (!running && !n.launcher) n.launcher = this.launcher(n);
    return Promise.resolve();
  }

  setBandwidth(bytesPerSec: number | null): void {
    if (bytesPerSec !== null)
      throw new Error('a bandwidth limit needs the proxy runner (no traffic shaping here)');
  }

  async close(): Promise<void> {
    for (const n of this.nodes.values()) {
      n.launcher?.close();
      n.ip.close();
    }
    this.bridgeIp?.close();
    this.bridgeIp = null;
    // Servers first (killing what still runs there), the bridge last.
    for (const ns of this.created.splice(0).reverse()) {
      deleteNamespaceSync(ns);
      liveNamespaces.delete(ns);
    }
    this.nodes.clear();
    this.bridgeReady = false;
    return Promise.resolve();
  }
}
