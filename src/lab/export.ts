/**
 * "Reproduce on real Redis": a lab script or a scenario as a POSIX shell script of `redis-server`
 * and `redis-cli` commands that replays it on one machine, as the seed's classroom lab did with
 * virtual machines. Pure (no DOM, no Node APIs), so the app can offer it as a download.
 *
 * - One `redis-server` per `server` statement on 127.0.0.1, ports BASE, BASE+1… in declaration
 *   order (BASE from the options, default 7001, and `RESYNC_LAB_BASE_PORT` when the script runs),
 *   data and logs in a `mktemp -d` directory that a trap removes on exit.
 * - The scenario's addresses (`REPLICAOF 192.168.157.144 6379`, or a server's name) become the
 *   local ones (`REPLICAOF 127.0.0.1 $P1`).
 * - Every argument is single-quoted for sh when it is not plainly safe: user data never leaves
 *   its quotes. NUL bytes, which no shell can pass, make the line a comment.
 * - Network cuts become what an unprivileged user can do (docs/real-redis.md):
 *   `net X down` points the replicas on X's links at port 0 (refused) until `net X up`;
 *   `net X stop` / `down silent` freeze the replica side with `DEBUG SLEEP` for as long as the
 *   cut lasts. `latency` / `bandwidth` stay comments.
 */
import type { NetOp, Script, Statement } from './ast';
import type { Scenario } from './scenario';
import { formatStatement } from './script';

export interface ExportOptions {
  /** The first server's port; the i-th declared server gets basePort + i. Default 7001. */
  readonly basePort?: number;
}

/** Where a statement sits: a step header, or a lab statement. */
type Item =
  | { readonly kind: 'step'; readonly n: number; readonly of: number; readonly say: string }
  | { readonly kind: 'st'; readonly st: Statement };

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One sh word that the shell gives back as exactly `s` (single quotes; `'` as `'\''`). */
export function shQuote(s: string): string {
  if (SAFE_WORD.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Text for a `#` comment: one line, no control characters. */
function commentText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}

/** `# ` lines, wrapped near `width` characters. */
function comment(text: string, width = 96): string[] {
  const words = commentText(text).split(' ').filter(Boolean);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - 2) {
      out.push(`# ${line}`);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(`# ${line}`);
  return out;
}

/** Milliseconds as `sleep`'s seconds: `6`, `22.5`, `0.001`. */
export function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/** Commands after which redis-cli would stream for ever instead of printing one reply. */
const STREAMING = new Set(['MONITOR', 'SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'SYNC', 'PSYNC']);

interface Slot {
  readonly name: string;
  /** 1-based: the port variable is `P${n}`. */
  readonly n: number;
  readonly host: string;
  readonly port: number;
  readonly dir: string;
}

function itemsOf(input: Scenario | Script): Item[] {
  if ('statements' in input) return input.statements.map((st) => ({ kind: 'st', st }));
  const items: Item[] = input.setup.map((st) => ({ kind: 'st', st }));
  input.steps.forEach((step, i) => {
    items.push({ kind: 'step', n: i + 1, of: input.steps.length, say: step.say.en });
    for (const st of step.statements) items.push({ kind: 'st', st });
  });
  return items;
}

/**
 * The shell script that replays `input` (a parsed scenario or lab script) on real redis-server.
 * See docs/real-redis.md for what it does and how it differs from the simulation.
 */
export function exportShell(input: Scenario | Script, opts: ExportOptions = {}): string {
  const basePort = opts.basePort ?? 7001;
  const items = itemsOf(input);
  const statements = items.flatMap((it) => (it.kind === 'st' ? [it.st] : []));
  const freezes = statements.some(
    (s) => s.kind === 'net' && (s.op === 'stop' || s.op === 'silent'),
  );

  // Slots: one per `server` statement, in order; a name reused after `remove` gets a new slot.
  const slots: Slot[] = [];
  const dirs = new Set<string>();
  for (const s of statements) {
    if (s.kind !== 'server') continue;
    let dir = s.name;
    for (let k = 2; dirs.has(dir); k++) dir = `${s.name}-${k}`;
    dirs.add(dir);
    slots.push({ name: s.name, n: slots.length + 1, host: s.host, port: s.port, dir });
  }

  const out: string[] = [];
  const emit = (...lines: string[]) => out.push(...lines);
  const isScenario = !('statements' in input);

  // ---- Header
  emit('#!/bin/sh');
  if (isScenario) {
    emit(...comment(`Resync Lab scenario "${input.id}": ${input.title.en}`));
  } else emit('# A Resync Lab lab script');
  emit(
    '#',
    ...comment(
      'Replays the lab on this machine with real redis-server and redis-cli (7.0, as the ' +
        'simulation imitates), one server per lab server on 127.0.0.1. Data and logs go to a ' +
        'temporary directory, removed on exit with the servers (RESYNC_LAB_KEEP=1 keeps it). ' +
        'RESYNC_LAB_BASE_PORT moves the ports. Needs a `sleep` that takes fractions of a second ' +
        '(GNU, BusyBox, BSD and macOS all do). Generated by Resync Lab (src/lab/export.ts); ' +
        'docs/real-redis.md tells what differs from the simulation:',
    ),
    ...comment(
      "- time is the machine's: redis-cli takes a few ms per command where the lab counts 1 ms, " +
        'so late steps drift by a fraction of a second; cron ticks and PINGs fall where the real ' +
        'servers put them;',
    ),
    ...comment(
      '- a plain SHUTDOWN saves an RDB in the lab (as with the default save points); the servers ' +
        "here run with --save '', so it is sent as SHUTDOWN SAVE; `restart` is SHUTDOWN SAVE and a " +
        'start with the same directory (and the same REPLICAOF);',
    ),
    ...comment(
      "- network cuts are imitated without root: `net X down` points the replicas on X's links " +
        'at 127.0.0.1:0 (refused) until `net X up` (their logs and INFO show that address ' +
        'meanwhile; the master sees the link close at once); `net X stop` and `net X down silent` ' +
        "freeze the replica side of X's links with DEBUG SLEEP for the length of the cut: the " +
        'whole process sleeps, not just its network, so commands sent to it wait until it wakes, ' +
        'and what its master sent meanwhile waits in the socket (the replica drops it if it times ' +
        "out first, as the lab's lost packets are; hz is set to 1 during the freeze so that its " +
        'timeout check runs before it reads);',
    ),
    ...comment('- latency and bandwidth cannot be set without root: those lines are comments.'),
    '',
    'set -u',
    `BASE_PORT=\${RESYNC_LAB_BASE_PORT:-${basePort}}`,
  );
  for (const s of slots) {
    emit(
      `P${s.n}=$((BASE_PORT + ${s.n - 1}))` +
        ` # ${commentText(s.name)}, ${s.host}:${s.port} in the lab`,
    );
  }
  emit(
    'LAB=$(mktemp -d "${TMPDIR:-/tmp}/resync-lab.XXXXXX") || exit 1',
    '',
    'stop_all() {',
    '  for pidfile in "$LAB"/*/redis.pid; do',
    '    [ -f "$pidfile" ] || continue',
    '    pid=$(cat "$pidfile") && kill "$pid" 2>/dev/null || continue',
    '    n=0',
    '    while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 100 ]; do sleep 0.05; n=$((n + 1)); done',
    '    kill -9 "$pid" 2>/dev/null',
    '  done',
    '  if [ "${RESYNC_LAB_KEEP:-}" = 1 ]; then echo "kept $LAB"; else rm -rf "$LAB"; fi',
    '}',
    'trap stop_all EXIT',
    "trap 'exit 130' INT",
    "trap 'exit 143' TERM",
    "trap 'exit 129' HUP",
    '',
    'for tool in redis-server redis-cli; do',
    '  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is not installed" >&2; exit 1; }',
    'done',
    'redis-server --version',
    'echo "lab directory: $LAB"',
    '',
    '# start_server DIR PORT [MASTER_PORT]: a server with its data and log in $LAB/DIR.',
    'start_server() {',
    '  mkdir -p "$LAB/$1"',
    '  if [ -n "${3:-}" ]; then set -- "$1" "$2" --replicaof 127.0.0.1 "$3"; else set -- "$1" "$2"; fi',
    '  d=$1 p=$2',
    '  shift 2',
    '  redis-server --port "$p" --bind 127.0.0.1 --daemonize yes --save \'\' --appendonly no \\',
    '    --dir "$LAB/$d" --logfile "$LAB/$d/redis.log" --pidfile "$LAB/$d/redis.pid" \\',
    `    ${freezes ? '--enable-debug-command local ' : ''}"$@" || exit 1`,
    '  n=0',
    '  until redis-cli -p "$p" PING >/dev/null 2>&1; do',
    '    n=$((n + 1))',
    '    [ "$n" -lt 200 ] || { echo "redis-server on port $p did not start" >&2; exit 1; }',
    '    sleep 0.05',
    '  done',
    '}',
    '',
    '# restart_server DIR PORT [MASTER_PORT]: SHUTDOWN SAVE (unless already down), start again.',
    'restart_server() {',
    '  if redis-cli -p "$2" PING >/dev/null 2>&1; then redis-cli -p "$2" SHUTDOWN SAVE; fi',
    '  n=0',
    '  while redis-cli -p "$2" PING >/dev/null 2>&1 && [ "$n" -lt 400 ]; do sleep 0.05; n=$((n + 1)); done',
    '  start_server "$@"',
    '}',
    '',
    '# cli NAME PORT COMMAND [ARG...]: print the command as the lab does, then its reply.',
    'cli() {',
    '  name=$1 p=$2',
    '  shift 2',
    '  printf \'%s>\' "$name"',
    '  printf \' %s\' "$@"',
    "  printf '\\n'",
    '  redis-cli -p "$p" "$@"',
    '}',
    '',
  );
  if (freezes) {
    emit(
      '# freeze PORT SECONDS: the server sleeps (DEBUG SLEEP), with hz 1 so that on waking its',
      '# replication timeout check runs before it reads what waited in its sockets.',
      'freeze() {',
      '  printf \'%s\\n\' MULTI \'CONFIG SET hz 1\' "DEBUG SLEEP $2" EXEC | redis-cli -p "$1" >/dev/null 2>&1 &',
      '  sleep 0.2',
      '}',
      '',
      '# thaw PORT HZ: once awake (redis-cli waits for it), its hz back.',
      'thaw() {',
      '  redis-cli -p "$1" CONFIG SET hz "$2" >/dev/null',
      '}',
      '',
    );
  }
  emit(
    'show_log() {',
    '  echo "-- log of $1 ($LAB/$1/redis.log)"',
    '  cat "$LAB/$1/redis.log"',
    '}',
    'show_info() {',
    '  echo "-- INFO replication of $1"',
    '  redis-cli -p "$2" INFO replication | tr -d \'\\r\'',
    '}',
    '',
  );

  // ---- The statements
  const current = new Map<string, Slot>(); // name → its slot now
  let nextSlot = 0;
  const masterOf = new Map<string, string>(); // replica → the lab server it replicates
  const down = new Set<string>(); // servers cut by `net X down`
  const redirected = new Set<string>(); // replicas pointed at port 0
  const frozen = new Map<string, string[]>(); // X (net stop/silent) → the servers frozen for it
  const asleep = new Set<string>();
  const hz = new Map<string, string>();
  const port = (name: string) => `"$P${current.get(name)!.n}"`;
  const q = shQuote;

  /** A lab server that `host port` names (a name, or a declared address), if any. */
  const resolve = (host: string, portArg: string): string | undefined => {
    // As the engine does: a declared name stands for that server, else HOST and PORT must match.
    if (current.has(host)) return host;
    const h = host === 'localhost' ? '127.0.0.1' : host;
    for (const s of current.values()) if (s.host === h && String(s.port) === portArg) return s.name;
    return undefined;
  };
  const cutLink = (r: string): boolean => {
    const m = masterOf.get(r);
    return m !== undefined && (down.has(r) || down.has(m));
  };
  /** Milliseconds of `wait` from item i to the next `net NAME up|start` (or the end). */
  const cutMs = (from: number, name: string): number => {
    let ms = 0;
    for (let j = from + 1; j < items.length; j++) {
      const it = items[j]!;
      if (it.kind !== 'st') continue;
      const s = it.st;
      if (s.kind === 'net' && s.server === name && (s.op === 'up' || s.op === 'start')) break;
      if (s.kind === 'wait') ms += s.ms;
    }
    return ms;
  };

  items.forEach((it, i) => {
    if (it.kind === 'step') {
      emit('', `echo ${q(`== step ${it.n} of ${it.of}`)}`, ...comment(it.say));
      return;
    }
    const st = it.st;
    const lab = formatStatement(st);
    switch (st.kind) {
      case 'clock':
      case 'version':
        emit(
          ...comment(
            `${lab}: the real servers keep the machine's clock and version (printed above).`,
          ),
        );
        return;
      case 'link':
        emit(
          ...comment(
            `${lab}: not reproduced (needs root: tc netem). Loopback is ~0.05 ms with no ` +
              'bandwidth limit, so transfers finish at once.',
          ),
        );
        return;
      case 'server': {
        const slot = slots[nextSlot++]!;
        current.set(st.name, slot);
        emit(`start_server ${q(slot.dir)} "$P${slot.n}" # ${commentText(lab)}`);
        return;
      }
      case 'wait':
        emit(`sleep ${seconds(st.ms)}`);
        return;
      case 'show':
        emit(
          st.what === 'log'
            ? `show_log ${q(current.get(st.server)!.dir)}`
            : `show_info ${q(st.server)} ${port(st.server)}${asleep.has(st.server) ? ' &' : ''}`,
        );
        return;
      case 'restart': {
        const m = masterOf.get(st.server);
        const mp = m === undefined ? '' : cutLink(st.server) ? ' 0' : ` ${port(m)}`;
        emit(`restart_server ${q(current.get(st.server)!.dir)} ${port(st.server)}${mp} # ${lab}`);
        return;
      }
      case 'remove':
        emit(`redis-cli -p ${port(st.server)} SHUTDOWN NOSAVE NOW # ${lab}`);
        current.delete(st.server);
        masterOf.delete(st.server);
        down.delete(st.server);
        redirected.delete(st.server);
        asleep.delete(st.server);
        for (const [r, m] of masterOf) if (m === st.server) masterOf.delete(r);
        return;
      case 'net':
        net(st.server, st.op, i, lab);
        return;
      case 'command':
        command(st.server, st.argv);
        return;
    }
  });

  function net(x: string, op: NetOp, i: number, lab: string) {
    const linked = [...masterOf].filter(([r, m]) => r === x || m === x).map(([r]) => r);
    if (op === 'down') {
      emit(`# ${lab}: the replicas on its links point at port 0 (refused) until \`net ${x} up\``);
      down.add(x);
      for (const r of linked) {
        if (redirected.has(r)) continue;
        redirected.add(r);
        emit(
          `redis-cli -p ${port(r)} REPLICAOF 127.0.0.1 0 >/dev/null # ${commentText(r)} cut off`,
        );
      }
      if (linked.length === 0) emit('# (no replication link to cut yet)');
      return;
    }
    if (op === 'stop' || op === 'silent') {
      const who = masterOf.has(x) ? [x] : linked.filter((r) => masterOf.get(r) === x);
      const n = seconds(cutMs(i, x));
      emit(
        `# ${lab}: ${who.length ? who.join(', ') : 'nothing'} frozen for ${n} s, until the next \`net ${x} up|start\``,
      );
      if (n === '0') return;
      const froze: string[] = [];
      for (const r of who) {
        if (asleep.has(r)) continue;
        asleep.add(r);
        froze.push(r);
        emit(`freeze ${port(r)} ${n}`);
      }
      frozen.set(x, [...(frozen.get(x) ?? []), ...froze]);
      return;
    }
    // up / start: heal whatever cut x.
    emit(`# ${lab}`);
    for (const r of frozen.get(x) ?? []) {
      asleep.delete(r);
      if (current.has(r)) emit(`thaw ${port(r)} ${hz.get(r) ?? '10'}`);
    }
    frozen.delete(x);
    if (down.delete(x)) {
      for (const r of [...redirected]) {
        const m = masterOf.get(r);
        if (m === undefined || cutLink(r) || !current.has(r)) continue;
        redirected.delete(r);
        emit(
          `redis-cli -p ${port(r)} REPLICAOF 127.0.0.1 ${port(m)} >/dev/null # ${commentText(r)} back`,
        );
      }
    }
  }

  function command(name: string, argv: readonly string[]) {
    const cmd = (argv[0] ?? '').toUpperCase();
    const shown = () =>
      commentText(
        formatStatement({ kind: 'command', pos: { line: 0, col: 0 }, server: name, argv }),
      );
    if (argv.some((a) => a.includes('\0'))) {
      emit(`# not replayed (a shell cannot pass a NUL byte): ${shown()}`);
      return;
    }
    if ((argv[0] ?? '').startsWith('-')) {
      emit(`# not replayed (redis-cli would take it for an option): ${shown()}`);
      return;
    }
    if (STREAMING.has(cmd)) {
      emit(`# not replayed (redis-cli would stream for ever): ${shown()}`);
      return;
    }
    const args = [...argv];
    /** The sh words; a lab server's address becomes its port variable. */
    const words = args.map((a, k) => {
      // Any `HOST:PORT` of a lab server, as a whole argument, becomes the local address.
      const m = k > 0 ? /^(.+):(\d+)$/.exec(a) : null;
      const t = m ? resolve(m[1]!, m[2]!) : undefined;
      return t !== undefined && t !== m![1] ? `127.0.0.1:"$P${current.get(t)!.n}"` : q(a);
    });
    const notes: string[] = [];
    if ((cmd === 'REPLICAOF' || cmd === 'SLAVEOF') && args.length === 3) {
      if (args[1]!.toLowerCase() === 'no' && args[2]!.toLowerCase() === 'one') {
        masterOf.delete(name);
        redirected.delete(name);
      } else {
        const target = resolve(args[1]!, args[2]!);
        if (target === undefined) {
          masterOf.delete(name);
          redirected.delete(name);
          notes.push('not a lab server: left as it is');
        } else {
          masterOf.set(name, target);
          if (cutLink(name)) {
            redirected.add(name);
            words.splice(1, 2, '127.0.0.1', '0');
            notes.push(`${target} is cut off: port 0 until \`net … up\``);
          } else {
            redirected.delete(name);
            words.splice(1, 2, '127.0.0.1', `"$P${current.get(target)!.n}"`);
          }
        }
      }
    } else if (cmd === 'SHUTDOWN' && args.length === 1) {
      words.push('SAVE');
      notes.push("a plain SHUTDOWN saves in the lab; here --save '' needs SAVE");
    } else if (
      cmd === 'CONFIG' &&
      args.length === 4 &&
      args[1]!.toUpperCase() === 'SET' &&
      args[2]!.toLowerCase() === 'hz'
    ) {
      hz.set(name, args[3]!);
    }
    if (asleep.has(name)) notes.push(`${name} is frozen: in the background, it runs when it wakes`);
    emit(
      ...notes.map((n) => `# ${commentText(n)}`),
      `cli ${q(name)} ${port(name)} ${words.join(' ')}${asleep.has(name) ? ' &' : ''}`,
    );
  }

  // ---- The end
  emit('', 'wait', "echo '== the servers at the end'");
  for (const [name, s] of current) {
    emit(`printf '%s: log %s\\n' ${q(name)} "$LAB/${s.dir}/redis.log"`);
    emit(`show_info ${q(name)} "$P${s.n}"`);
  }
  emit('');
  return out.join('\n');
}
