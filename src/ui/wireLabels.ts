/**
 * What a packet on the wire says, as lines of chunks (a chunk never breaks; lines wrap between
 * chunks when the lane is narrow). Pure: the words come in as `WireWords`, the numbers from the
 * engine's message (its label, bytes, commands) and from the master's PSYNC decision.
 *
 * Rules: a replication ID may be shortened, an offset or a byte count never is; a packet never
 * needs an ellipsis to fit (the chunks wrap instead).
 */
import { formatBytes, type StreamView, type WireCommand, type WireMessage } from '../store';

export interface WireWords {
  /** "backlog" — the slice of the backlog a +CONTINUE is followed by. */
  readonly backlog: string;
  /** "from offset" */
  readonly fromOffset: string;
  /** "more" (as in "+ 3 more") */
  readonly more: string;
}

/** `wrap` is user data (a command's arguments): it may break anywhere; the others never break. */
export type ChunkKind = 'text' | 'wrap' | 'id' | 'num' | 'muted' | 'crlf';
export interface Chunk {
  readonly text: string;
  readonly kind: ChunkKind;
}
export type PacketLine = readonly Chunk[];

export interface PacketText {
  /** The packet's lines (the first is its headline). */
  readonly lines: readonly PacketLine[];
  /** The whole message in words, for its tooltip and accessible name. */
  readonly title: string;
  /** Draws a progress bar (the RDB payload). */
  readonly progress: boolean;
}

const t = (text: string): Chunk => ({ text, kind: 'text' });
const num = (text: string | number): Chunk => ({ text: String(text), kind: 'num' });
const muted = (text: string): Chunk => ({ text, kind: 'muted' });

/** A replication ID as the UI shows it: its first 8 hex digits (the colour chip does the same). */
export function shortId(id: string): string {
  return /^[0-9a-f]{40}$/.test(id) ? `${id.slice(0, 8)}…` : id;
}
const idChunk = (id: string): Chunk => ({ text: shortId(id), kind: 'id' });

/** An argument for a summary: whole when short, else its start (it is user data, not a number). */
function arg(a: string, max = 16): string {
  return a.length > max ? `${a.slice(0, max - 1)}…` : a;
}

/** Commands that carry no data of their own: they are counted, not spelled. */
const QUIET = new Set(['SELECT', 'PING', 'MULTI', 'EXEC']);

/**
 * The commands of a stream message in a few chunks: the first data command (`HSET curso:4 …`),
 * then the others counted by name (`+ 6 PING`). SELECT, MULTI and EXEC only show when nothing
 * else is there.
 */
export function summarizeCommands(cmds: readonly WireCommand[], words: WireWords): Chunk[] {
  if (cmds.length === 0) return [];
  const name = (c: WireCommand) => (c.argv[0] ?? '').toUpperCase();
  const data = cmds.filter((c) => !QUIET.has(name(c)));
  const out: Chunk[] = [];
  let rest: readonly WireCommand[];
  const lead = data[0];
  if (lead) {
    const argv = lead.argv;
    const whole = argv.join(' ');
    const head =
      whole.length <= 26
        ? whole
        : argv.length > 1
          ? `${argv[0]} ${arg(argv[1] ?? '')}${argv.length > 2 ? ' …' : ''}`
          : arg(whole, 26);
    out.push({ text: head, kind: 'wrap' });
    rest = cmds.filter((c) => c !== lead && name(c) !== 'SELECT');
  } else {
    const pings = cmds.filter((c) => name(c) === 'PING');
    if (pings.length === 0) {
      const first = cmds[0];
      out.push({ text: first ? first.argv.map((a) => arg(a)).join(' ') : '', kind: 'wrap' });
      rest = cmds.slice(1);
    } else {
      rest = cmds.filter((c) => name(c) !== 'SELECT');
    }
  }
  const counts = new Map<string, number>();
  for (const c of rest) counts.set(name(c), (counts.get(name(c)) ?? 0) + 1);
  const groups = [...counts.entries()];
  const shown = groups.slice(0, 2);
  const hidden = groups.slice(2).reduce((n, [, k]) => n + k, 0);
  for (const [n, k] of shown) {
    const label = `${k} ${n}`;
    out.push(t(out.length === 0 ? (k === 1 ? n : label) : `+ ${label}`));
  }
  if (hidden > 0) out.push(t(`+ ${hidden} ${words.more}`));
  return out;
}

const CRLF = '\\r\\n';

/** RESP text as chunks: one per `…\r\n` element, the separators drawn as `\r\n`. */
function respChunks(resp: string, maxChunks = 8): Chunk[] {
  const parts = resp.split('\r\n');
  if (parts[parts.length - 1] === '') parts.pop();
  const out: Chunk[] = [];
  for (const p of parts.slice(0, maxChunks))
    out.push({ text: `${shortId(p)}${CRLF}`, kind: 'crlf' });
  if (parts.length > maxChunks) out.push(muted('…'));
  return out;
}

/** `*N\r\n$len\r\narg\r\n…` for argv (RESP as the wire carries it, as a JS string). */
function respArray(argv: readonly string[]): string {
  const enc = new TextEncoder();
  return `*${argv.length}\r\n${argv.map((a) => `$${enc.encode(a).length}\r\n${a}\r\n`).join('')}`;
}

/** The RDB payload's size as the engine's label says (`RDB 305 bytes`), else its bytes. */
function rdbSize(m: WireMessage): number {
  const n = /^RDB (\d+) bytes$/.exec(m.label);
  return n ? Number(n[1]) : m.bytes;
}

/** The `$305` / `$EOF:<mark>` bulk header in front of an RDB payload. */
export function isRdbHeader(m: WireMessage): boolean {
  return m.kind === 'RDB' && m.label.startsWith('$');
}

/**
 * A packet's text, or null when the message is not drawn in this view (the RDB bulk header is a
 * RESP detail: it only shows in the RESP view).
 */
export function packetText(m: WireMessage, view: StreamView, words: WireWords): PacketText | null {
  const title = `${m.label} (${formatBytes(m.bytes)})`;
  const parts = m.label.split(' ');
  if (view === 'resp') {
    if (m.kind === 'RDB' && !isRdbHeader(m))
      return { lines: [[t(`RDB ${formatBytes(rdbSize(m))}`)]], title, progress: true };
    if (m.kind === 'STREAM' && m.resp !== null) {
      const first = m.commands?.[0];
      const head: Chunk[] = first ? [muted(`@${first.off}`)] : [];
      return {
        lines: [[...head, ...respChunks(m.resp, 6)], [muted(formatBytes(m.bytes))]],
        title,
        progress: false,
      };
    }
    let resp: string;
    switch (m.kind) {
      case 'PSYNC':
      case 'PING':
      case 'ACK':
        resp = respArray(parts);
        break;
      case 'REPLCONF': {
        // The engine's label names both REPLCONFs when the capa one is there; its bytes tell
        // whether the listening-port one travels in the same packet (Redis 7 pipelines them).
        const port = respArray(['REPLCONF', 'listening-port', parts[2] ?? '']);
        const capa = respArray(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
        const len = (x: string) => new TextEncoder().encode(x).length;
        if (!m.label.includes('capa')) resp = port;
        else resp = m.bytes === len(port) + len(capa) ? port + capa : capa;
        break;
      }
      case 'RDB':
        resp = m.label === '$EOF:<mark>' ? `$EOF:<40 bytes>\r\n` : `${m.label}\r\n`;
        break;
      default:
        resp = `${m.label}\r\n`;
    }
    return { lines: [respChunks(resp, 10), [muted(formatBytes(m.bytes))]], title, progress: false };
  }
  switch (m.kind) {
    case 'PSYNC':
      // PSYNC <replid> <offset>: the requested offset is the point of the lesson, whole.
      return {
        lines: [[t('PSYNC'), idChunk(parts[1] ?? ''), num(parts[2] ?? '')]],
        title,
        progress: false,
      };
    case 'FULLRESYNC':
      return {
        lines: [[t('+FULLRESYNC'), idChunk(parts[1] ?? ''), num(parts[2] ?? '')]],
        title,
        progress: false,
      };
    case 'CONTINUE':
      return {
        lines: [parts[1] ? [t('+CONTINUE'), idChunk(parts[1])] : [t('+CONTINUE')]],
        title,
        progress: false,
      };
    case 'RDB':
      if (isRdbHeader(m)) return null;
      return { lines: [[t('RDB'), num(formatBytes(rdbSize(m)))]], title, progress: true };
    case 'STREAM': {
      const summary = summarizeCommands(m.commands ?? [], words);
      if (m.backlogSlice) {
        const s = m.backlogSlice;
        return {
          lines: [
            [t(words.backlog), num(formatBytes(s.bytes)), t(words.fromOffset), num(s.offset)],
            summary,
          ],
          title: `${words.backlog} ${s.bytes} B ${words.fromOffset} ${s.offset}: ${title}`,
          progress: false,
        };
      }
      const lines: PacketLine[] = [summary.length ? summary : [{ text: m.label, kind: 'wrap' }]];
      lines.push([{ text: formatBytes(m.bytes), kind: 'muted' }]);
      return { lines, title, progress: false };
    }
    case 'ACK':
      return { lines: [[t('ACK'), num(parts[2] ?? '')]], title, progress: false };
    case 'REPLCONF':
      return {
        lines: [
          m.label.includes('capa')
            ? [t('REPLCONF'), t('capa eof psync2')]
            : [t('REPLCONF'), t(`listening-port ${parts[2] ?? ''}`)],
        ],
        title,
        progress: false,
      };
    default:
      return { lines: [parts.map((p) => t(p))], title, progress: false };
  }
}
