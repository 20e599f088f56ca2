/**
 * A tiny RESP2 client over node:net for the conformance harness: one persistent connection is one
 * client session (SELECT and MULTI apply to it). Commands are RESP arrays of bulk strings whose
 * lengths are UTF-8 byte lengths; replies are parsed into the engine's `Reply` type.
 */
import net from 'node:net';
import type { Reply } from '../../src/engine/reply';
import type { Endpoint } from './network';

/** RESP encoding of one command as bytes. */
export function encodeCommand(argv: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = Buffer.from(a, 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Result of parsing one reply from `buf` at `pos`: the reply and the next position, or null if incomplete. */
export function parseReply(buf: Buffer, pos = 0): { reply: Reply; next: number } | null {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[pos] ?? 0);
  const line = buf.toString('utf8', pos + 1, eol);
  const after = eol + 2;
  switch (type) {
    case '+':
      return { reply: { t: 'status', v: line }, next: after };
    case '-':
      return { reply: { t: 'error', v: line }, next: after };
    case ':':
      return { reply: { t: 'int', v: Number(line) }, next: after };
    case '$': {
      const len = Number(line);
      if (len < 0) return { reply: { t: 'bulk', v: null }, next: after };
      if (buf.length < after + len + 2) return null;
      return {
        reply: { t: 'bulk', v: buf.toString('utf8', after, after + len) },
        next: after + len + 2,
      };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { reply: { t: 'array', v: null }, next: after };
      const items: Reply[] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, p);
        if (!r) return null;
        items.push(r.reply);
        p = r.next;
      }
      return { reply: { t: 'array', v: items }, next: p };
    }
    default:
      throw new Error(`RESP protocol error: unexpected byte ${JSON.stringify(type)}`);
  }
}

interface Pending {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

/** One client session with a redis-server. */
export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private closed = false;

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => this.onData(d));
    const fail = (e: Error): void => {
      this.closed = true;
      for (const p of this.pending.splice(0)) p.reject(e);
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1', timeoutMs = 2000): Promise<RespClient> {
    return RespClient.connectTo({ port, host }, timeoutMs);
  }

  /** Connects to a TCP endpoint or a unix socket path. */
  static connectTo(ep: Endpoint, timeoutMs = 2000): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const sock = 'path' in ep ? net.connect({ path: ep.path }) : net.connect(ep);
      const where = 'path' in ep ? ep.path : `${ep.host}:${ep.port}`;
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`connect ${where} timed out`));
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.setNoDelay(true);
        sock.removeAllListeners('error');
        resolve(new RespClient(sock));
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Send one command and wait for its reply (rejects if the connection closes first). */
  command(argv: readonly string[], timeoutMs = 30000): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no reply to ${argv[0] ?? ''} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.pending.push({
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.sock.write(encodeCommand(argv));
    });
  }

  /** Send a command without waiting for a reply (e.g. SHUTDOWN, which closes the connection). */
  send(argv: readonly string[]): void {
    if (!this.closed) this.sock.write(encodeCommand(argv));
  }

  close(): void {
    this.closed = true;
    this.sock.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    let pos = 0;
    for (;;) {
      const r = parseReply(this.buf, pos);
      if (!r) break;
      pos = r.next;
      this.pending.shift()?.resolve(r.reply);
    }
    this.buf = this.buf.subarray(pos);
  }
}
