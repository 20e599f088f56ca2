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
