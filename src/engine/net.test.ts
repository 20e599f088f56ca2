import { describe, expect, it } from 'vitest';
import { replicationFields } from './info';
import { nextRetransmission } from './net';
import { Simulation } from './sim';

// What real redis-server 7.0.15 does when the replica's own interface goes down (its
// namespace's veth set down, as `rc-service networking stop` does; ../shared/tools/
// real-cut-probe.sh, run on this machine):
// - a 6 s cut: the replica had the write about 0.9 s after the interface came back, no resync
//   (sync_partial_ok:0), no "lost" line on either side: TCP retransmitted it;
// - a 75 s cut: after 60 s the replica logs "MASTER timeout: no data nor PING received...",
//   "Connection with master lost.", "Caching the disconnected master state.", "Reconnecting to
//   MASTER …", then "Unable to connect to MASTER: Network is unreachable" (and each second
//   "Connecting to MASTER …" + the same); the master logs "Disconnecting timedout replica
//   (streaming sync): …" and "Connection with replica … lost."; about one second after the
//   interface is back: "Sending 111 bytes of backlog".

const messages = (sim: Simulation, name: string): string[] =>
  sim.server(name).log.map((l) => l.replace(/^\d+:[MSC] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const info = (sim: Simulation, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(sim.state, sim.server(name)));
const stat = (sim: Simulation, name: string, field: string): string => {
  const r = sim.exec(name, ['INFO', 'stats']);
  const text = r.t === 'bulk' ? (r.v ?? '') : '';
  return new RegExp(`${field}:(\\d+)`).exec(text)?.[1] ?? '?';
};

/** The probe's lab: a master and a replica in sync, one key written. */
function probe(): Simulation {
  const sim = new Simulation({ seed: 11 });
  sim.addServer('master', '10.77.0.1', 6379);
  sim.addServer('replica', '10.77.0.2', 6379);
  sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);
  sim.exec('replica', ['REPLICAOF', '10.77.0.1', '6379']);
  sim.advance(3000);
  sim.exec('master', ['SET', 'a', '1']);
  sim.advance(1000);
  return sim;
}

describe("TCP's retransmission timer", () => {
  it('backs off from 200 ms, doubling, capped at 120 s', () => {
    // Retransmissions at 200, 600, 1400, 3000, 6200, 12600 ms after the send…
    expect(nextRetransmission(0, 0)).toBe(200);
    expect(nextRetransmission(0, 201)).toBe(600);
    expect(nextRetransmission(0, 6000)).toBe(6200);
    expect(nextRetransmission(1000, 7000)).toBe(7200);
    // …200·(2^k − 1): 102,200 ms after 9 intervals, 204,600 after the 10th (102.4 s); the next
    // interval would be 204.8 s, capped at 120 s: 324,600, then 444,600.
    expect(nextRetransmission(0, 102_201)).toBe(204_600);
    expect(nextRetransmission(0, 204_601)).toBe(324_600);
    expect(nextRetransmission(0, 324_601)).toBe(444_600);
  });
});

describe("a replica's interface stopped and started (the slides' cut)", () => {
  it('a short cut: TCP retransmits the write, nobody resyncs', () => {
    const sim = probe();
    const before = sim.server('master').log.length;
    sim.setNet('replica', 'stopped');
    sim.advance(6000);
    sim.exec('master', ['SET', 'b', '2']);
    sim.advance(1000);
    expect(sim.exec('replica', ['GET', 'b'])).toEqual({ t: 'bulk', v: null });
    sim.setNet('replica', 'up');
    // The SET left 1 s before the interface came back: retransmitted at 200·(2^k − 1) ms after
    // it was sent, the first such moment after the restore is 1,400 ms (k = 3), 400 ms later.
    sim.advance(350);
    expect(sim.exec('replica', ['GET', 'b'])).toEqual({ t: 'bulk', v: null });
    sim.advance(100);
    expect(sim.exec('replica', ['GET', 'b'])).toEqual({ t: 'bulk', v: '2' });
    sim.advance(3000);
    expect(stat(sim, 'master', 'sync_partial_ok')).toBe('0');
    expect(stat(sim, 'master', 'sync_full')).toBe('1');
    expect(messages(sim, 'replica').filter((m) => m.includes('lost'))).toEqual([]);
    expect(
      sim
        .server('master')
        .log.slice(before)
        .filter((l) => l.includes('lost')),
    ).toEqual([]);
    expect(info(sim, 'replica').master_link_status).toBe('up');
    expect(info(sim, 'replica').slave_repl_offset).toBe(info(sim, 'master').master_repl_offset);
  });

  it('a long cut: both time out, the replica cannot even connect, then a partial resync of 111 bytes', () => {
    const sim = probe();
    sim.setNet('replica', 'stopped');
    sim.advance(75_000);
    sim.exec('master', ['SET', 'b', '2']);
    sim.advance(1000);
    const r = messages(sim, 'replica');
    const t = r.indexOf('MASTER timeout: no data nor PING received...');
    expect(t).toBeGreaterThan(0);
    expect(r.slice(t + 1, t + 6)).toEqual([
      'Connection with master lost.',
      'Caching the disconnected master state.',
      'Reconnecting to MASTER 10.77.0.1:6379',
      'Unable to connect to MASTER: Network is unreachable',
      'Connecting to MASTER 10.77.0.1:6379',
    ]);
    // Every later second: "Connecting to MASTER" then "Unable to connect" (about 15 of them).
    const unable = r.filter((m) => m === 'Unable to connect to MASTER: Network is unreachable');
    expect(unable.length).toBeGreaterThanOrEqual(14);
    expect(r.slice(t)).not.toContain('MASTER <-> REPLICA sync started');
    expect(messages(sim, 'master')).toContain(
      'Disconnecting timedout replica (streaming sync): 10.77.0.2:6379',
    );
    sim.setNet('replica', 'up');
    sim.advance(1100);
    // 6 PINGs of 14 bytes while the master still counted the replica (one every 10 s for 60 s)
    // and SET b 2: *3\r\n (4) + $3\r\nSET\r\n (9) + $1\r\nb\r\n (7) + $1\r\n2\r\n (7) = 27.
    const accepted = messages(sim, 'master').find((m) =>
      m.startsWith('Partial resynchronization request from 10.77.0.2:6379 accepted.'),
    );
    expect(accepted).toMatch(/Sending 111 bytes of backlog/);
    expect(sim.exec('replica', ['GET', 'b'])).toEqual({ t: 'bulk', v: '2' });
  });
});
