/**
 * The proxy's cut, on real loopback sockets (no redis-server needed): a "master" with two
 * "replicas" connected through their pair links.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyNet } from './proxy';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Scene {
  proxy: ProxyNet;
  /** The master's side of each replica's connection, in connection order. */
  masterSide: net.Socket[];
  /** What each replica has received so far. */
  received: string[];
  replicas: net.Socket[];
  close(): Promise<void>;
}

async function scene(): Promise<Scene> {
  const masterSide: net.Socket[] = [];
  const master = net.createServer((s) => {
    s.on('error', () => {});
    masterSide.push(s);
  });
  await new Promise<void>((r) => master.listen(0, '127.0.0.1', r));
  const masterPort = (master.address() as net.AddressInfo).port;
  const proxy = new ProxyNet();
  const received = ['', ''];
  const replicas: net.Socket[] = [];
  for (const [i, name] of ['replica1', 'replica2'].entries()) {
    const port = await proxy.ensureLink(name, 'master', await freePort(), masterPort);
    const sock = net.connect(port, '127.0.0.1');
    sock.on('error', () => {});
    sock.on('data', (d: Buffer) => (received[i] += d.toString()));
    replicas.push(sock);
    // Wait until the proxy has connected upstream for this replica.
    while (masterSide.length < i + 1) await sleep(5);
  }
  return {
    proxy,
    masterSide,
    received,
    replicas,
    async close() {
      for (const s of [...replicas, ...masterSide]) s.destroy();
      await proxy.closeAll();
      await new Promise((r) => master.close(r));
    },
  };
}

let current: Scene | null = null;
afterEach(async () => {
  await current?.close();
  current = null;
});

describe('net NAME down silent, on the proxy', () => {
  it('lets through what was sent before the cut, and nothing after', async () => {
    const s = (current = await scene());
    for (const m of s.masterSide) m.write('SET before the cut;');
    await s.proxy.setMode('master', 'silent');
    for (const m of s.masterSide) m.write('PING after the cut;');
    await sleep(150);
    expect(s.received).toEqual(['SET before the cut;', 'SET before the cut;']);
  });

  it('swallows bytes on every link of the server at once, before any tarpit is up', async () => {
    const s = (current = await scene());
    const cut = s.proxy.setMode('master', 'silent');
    // Starting one tarpit takes ~100 ms; a link cut only after the other's tarpit would still
    // forward this PING, sent once the 20 ms drain is over.
    await sleep(60);
    for (const m of s.masterSide) m.write('PING;');
    await cut;
    await sleep(100);
    expect(s.received).toEqual(['', '']);
  });

  it('up again: the old connections stay silent (TCP lost those bytes)', async () => {
    const s = (current = await scene());
    await s.proxy.setMode('master', 'silent');
    await s.proxy.setMode('master', 'up');
    for (const m of s.masterSide) m.write('late;');
    s.replicas[0]!.write('REPLCONF ACK;');
    let fromReplica = '';
    s.masterSide[0]!.on('data', (d: Buffer) => (fromReplica += d.toString()));
    await sleep(100);
    expect(s.received).toEqual(['', '']);
    expect(fromReplica).toBe('');
  });
});

describe('latency … bandwidth SIZE, on the proxy', () => {
  /** Times (ms after `t0`) at which replica `i` had received `marks` bytes. */
  function watch(s: Scene, i: number, t0: number, marks: readonly number[]): Map<number, number> {
    const at = new Map<number, number>();
    s.replicas[i]!.on('data', () => {
      for (const m of marks)
        if (!at.has(m) && s.received[i]!.length >= m) at.set(m, performance.now() - t0);
    });
    return at;
  }

  it('paces a transfer at the rate, in order, without a burst at the start', async () => {
    const s = (current = await scene());
    s.proxy.setBandwidth(20_000);
    const payload = Array.from({ length: 10_000 }, (_, i) =>
      String.fromCharCode(97 + (i % 26)),
    ).join('');
    const t0 = performance.now();
    const at = watch(s, 0, t0, [1, 5_000, 10_000]);
    s.masterSide[0]!.write(payload);
    await sleep(900);
    expect(s.received[0]).toBe(payload);
    // 10 000 bytes at 20 000 B/s: the last byte is due at 500 ms, half of them at 250 ms; bytes
    // leave in slices every PACE_MS (5 ms), never before they are due, and a late timer is caught
    // up at the next slice.
    expect(at.get(1)!).toBeLessThan(60);
    expect(at.get(5_000)!).toBeGreaterThanOrEqual(245);
    expect(at.get(5_000)!).toBeLessThan(400);
    expect(at.get(10_000)!).toBeGreaterThanOrEqual(495);
    expect(at.get(10_000)!).toBeLessThan(700);
  });

  it('paces each direction on its own', async () => {
    const s = (current = await scene());
    s.proxy.setBandwidth(20_000);
    let fromReplica = '';
    let upDoneAt = 0;
    const t0 = performance.now();
    s.masterSide[0]!.on('data', (d: Buffer) => {
      fromReplica += d.toString();
      if (fromReplica.length >= 5_000 && !upDoneAt) upDoneAt = performance.now() - t0;
    });
    const at = watch(s, 0, t0, [5_000]);
    s.masterSide[0]!.write('m'.repeat(5_000));
    s.replicas[0]!.write('r'.repeat(5_000));
    await sleep(600);
    // Both 5 000-byte transfers take ~250 ms at once, not 500 ms one after the other.
    expect(at.get(5_000)!).toBeGreaterThanOrEqual(245);
    expect(at.get(5_000)!).toBeLessThan(450);
    expect(upDoneAt).toBeGreaterThanOrEqual(245);
    expect(upDoneAt).toBeLessThan(450);
  });

  it('a silent cut loses the bytes still queued at the link', async () => {
    const s = (current = await scene());
    s.proxy.setBandwidth(10_000);
    s.masterSide[0]!.write('x'.repeat(10_000));
    await sleep(100);
    await s.proxy.setMode('master', 'silent');
    const got = s.received[0]!.length;
    await sleep(1_200);
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(3_000);
    expect(s.received[0]!.length).toBe(got);
  });

  it('unlimited again: what is queued leaves at once', async () => {
    const s = (current = await scene());
    s.proxy.setBandwidth(1_000);
    s.masterSide[0]!.write('y'.repeat(5_000));
    await sleep(50);
    expect(s.received[0]!.length).toBeLessThan(500);
    s.proxy.setBandwidth(null);
    await sleep(50);
    expect(s.received[0]).toBe('y'.repeat(5_000));
  });

  it('passes a clean close on after the queued bytes', async () => {
    const s = (current = await scene());
    s.proxy.setBandwidth(20_000);
    let endedAt = 0;
    const t0 = performance.now();
    s.replicas[0]!.on('end', () => (endedAt = performance.now() - t0));
    s.masterSide[0]!.end('z'.repeat(4_000));
    await sleep(500);
    expect(s.received[0]).toBe('z'.repeat(4_000));
    expect(endedAt).toBeGreaterThanOrEqual(195);
  });
});
