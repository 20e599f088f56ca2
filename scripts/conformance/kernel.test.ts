import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../src/lab/script';
import {
  chooseRunner,
  cleanupStaleNamespaces,
  KernelNetwork,
  kernelAddress,
  kernelMac,
  kernelRefusal,
  kernelUnavailable,
  namespaceOwner,
} from './kernel';
import { asksForKernel, knownDisagreement } from './pragma';
import { AddressMap } from './real';

const two = 'server master 127.0.0.1:6379\nserver replica1 127.0.0.1:6380\n';
const runner = (body: string, force = false) => {
  const text = two + body;
  return chooseRunner(parseScript(text), text, force);
};

describe('chooseRunner', () => {
  it('keeps the proxy for scripts without kernel cuts', () => {
    expect(runner('replica1 REPLICAOF master 6379\nwait 1s')).toBe('proxy');
    expect(runner('net replica1 down\nwait 1s\nnet replica1 up')).toBe('proxy');
    // TCP retransmits after a silent cut: only the kernel's own TCP shows that.
    expect(runner('net replica1 down silent\nwait 1s\nnet replica1 up')).toBe('kernel');
  });

  it('sends stop / start to the kernel', () => {
    expect(runner('net replica1 stop\nwait 1s\nnet replica1 start')).toBe('kernel');
    expect(runner('net replica1 start')).toBe('kernel');
  });

  it('honours the header line and --kernel', () => {
    expect(runner('# conformance: kernel\nnet replica1 down silent')).toBe('kernel');
    expect(runner('wait 1s', true)).toBe('kernel');
  });
});

describe('kernelRefusal', () => {
  it('refuses a reset cut and a bandwidth limit, with the line', () => {
    const reset = parseScript(`${two}net replica1 stop\nnet replica1 down\n`);
    expect(kernelRefusal(reset)).toMatch(
      /^line 4: 'net replica1 down' \(a reset\) needs the proxy/,
    );
    const bw = parseScript(`latency 1ms bandwidth 2kb\n${two}`);
    expect(kernelRefusal(bw)).toMatch(/^line 1: a bandwidth limit needs the proxy runner/);
  });

  it('accepts stop/start, silent cuts and a bare latency', () => {
    const s = parseScript(
      `latency 1ms\n${two}net replica1 stop\nnet replica1 start\nnet replica1 down silent\nnet replica1 up\n`,
    );
    expect(kernelRefusal(s)).toBeNull();
  });
});

describe('addresses', () => {
  it('gives server i 10.200.0.i+1 and a distinct MAC', () => {
    expect(kernelAddress(0)).toBe('10.200.0.1');
    expect(kernelAddress(252)).toBe('10.200.0.253');
    expect(() => kernelAddress(253)).toThrow(/253 servers/);
    expect(kernelMac(0)).toBe('02:52:4c:00:00:00');
    expect(kernelMac(258)).toBe('02:52:4c:00:01:02');
  });

  it('maps namespace addresses back to the declared ones', () => {
    const m = new AddressMap();
    const master = { name: 'master', host: '192.168.157.144', port: 6379 };
    const replica = { name: 'replica1', host: '127.0.0.1', port: 6380 };
    m.add(6379, master, '10.200.0.1');
    m.add(6379, replica, '10.200.0.2');
    expect(m.text('Connecting to MASTER 10.200.0.1:6379')).toBe(
      'Connecting to MASTER 192.168.157.144:6379',
    );
    expect(m.text('Replica 10.200.0.2:6379 asks for synchronization')).toBe(
      'Replica 127.0.0.1:6380 asks for synchronization',
    );
    // Unknown addresses stay as they are; each address is mapped once.
    expect(m.text('10.200.0.9:6379 127.0.0.1:6380')).toBe('10.200.0.9:6379 127.0.0.1:6380');
    expect(
      m.info([
        ['slave0', 'ip=10.200.0.2,port=6379,state=online,offset=0,lag=0'],
        ['master_host', '10.200.0.1'],
        ['master_port', '6379'],
      ]),
    ).toEqual([
      ['slave0', 'ip=127.0.0.1,port=6380,state=online,offset=0,lag=0'],
      ['master_host', '192.168.157.144'],
      ['master_port', '6379'],
    ]);
    expect(
      m.role({
        t: 'array',
        v: [
          { t: 'bulk', v: 'slave' },
          { t: 'bulk', v: '10.200.0.1' },
          { t: 'int', v: 6379 },
        ],
      }),
    ).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: 'slave' },
        { t: 'bulk', v: '192.168.157.144' },
        { t: 'int', v: 6379 },
      ],
    });
  });
});

describe('pragmas and namespace names', () => {
  it('reads the header lines', () => {
    expect(asksForKernel('# A script\n# conformance: kernel\nserver a')).toBe(true);
    expect(asksForKernel('# conformance: kernelish\nserver a')).toBe(false);
    expect(knownDisagreement('# conformance: known-disagreement: the engine X\n')).toBe(
      'the engine X',
    );
    expect(knownDisagreement('# conformance: known-disagreement\n')).toBe('no reason given');
    expect(knownDisagreement('# conformance: kernel\n')).toBeNull();
  });

  it('finds the creator pid in lab namespace names only', () => {
    expect(namespaceOwner('rlk1234x2s0')).toBe(1234);
    expect(namespaceOwner('rlm77')).toBe(77);
    expect(namespaceOwner('rl42')).toBeNull();
    expect(namespaceOwner('other1234')).toBeNull();
  });
});

// The namespaces themselves: root only (CI runs as root).
const sh = (ns: string, script: string): Promise<string> =>
  new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', ns, 'sh', '-c', script], { timeout: 5000 }, (_e, out, err) =>
      resolve(`${out}${err}`.trim()),
    );
  });
const namespaces = (): string[] =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean);

describe.skipIf(kernelUnavailable() !== null)('KernelNetwork (root)', () => {
  it('wires servers, cuts them as the lab says, and leaves nothing behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-test-'));
    const net = new KernelNetwork();
    const a = { name: 'a', host: '127.0.0.1', port: 6379, index: 0, dir };
    const b = { name: 'b', host: '127.0.0.1', port: 6380, index: 1, dir };
    try {
      await net.declare(a);
      await net.declare(b);
      const mine = namespaces().filter((n) => n.startsWith(`rlk${process.pid}x`));
      expect(mine).toHaveLength(3);
      const nsB = mine.find((n) => n.endsWith('s1'))!;
      // A connect from b to a's address (bash's /dev/tcp). Nothing listens there, so "Connection
      // refused" proves the path; a vanished SYN hangs until `timeout` kills the probe (exit 124).
      const bashProbe = () =>
        sh(nsB, 'timeout 1.5 bash -c "exec 3<>/dev/tcp/10.200.0.1/6379" 2>&1; echo "exit $?"');
      expect(await bashProbe()).toMatch(/Connection refused/);
      await net.setNet(b, 'stop');
      expect(await bashProbe()).toMatch(/Network is unreachable/);
      await net.setNet(b, 'start');
      expect(await bashProbe()).toMatch(/Connection refused/);
      await net.setNet(b, 'silent');
      expect(await bashProbe()).toMatch(/exit 124/);
      await net.setNet(b, 'up');
      expect(await bashProbe()).toMatch(/Connection refused/);
      // Cutting the other end works the same way.
      await net.setNet(a, 'silent');
      expect(await bashProbe()).toMatch(/exit 124/);
      await net.setNet(a, 'up');
      await expect(net.setNet(a, 'down')).rejects.toThrow(/needs the proxy runner/);
    } finally {
      await net.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(namespaces().filter((n) => n.startsWith(`rlk${process.pid}x`))).toEqual([]);
  }, 30000);

  it('declares a server while another is stopped; both reach each other after start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-test-'));
    const net = new KernelNetwork();
    const a = { name: 'a', host: '127.0.0.1', port: 6379, index: 0, dir };
    const b = { name: 'b', host: '127.0.0.1', port: 6380, index: 1, dir };
    try {
      await net.declare(a);
      await net.setNet(a, 'stop');
      await net.declare(b);
      await net.setNet(a, 'start');
      const nsA = namespaces().find((n) => n.startsWith(`rlk${process.pid}x`) && n.endsWith('s0'))!;
      expect(
        await sh(
          nsA,
          'timeout 1.5 bash -c "exec 3<>/dev/tcp/10.200.0.2/6379" 2>&1; echo "exit $?"',
        ),
      ).toMatch(/Connection refused/);
    } finally {
      await net.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30000);

  it('removes namespaces whose creator is gone', () => {
    // A pid that is surely free: one above the kernel's pid_max.
    const pidMax = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    const stale = `rlk${pidMax + 1}x1b`;
    execFileSync('ip', ['netns', 'add', stale]);
    cleanupStaleNamespaces();
    expect(namespaces()).not.toContain(stale);
  });
});
