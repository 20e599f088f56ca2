import { describe, expect, it } from 'vitest';
import { replicationFields } from './info';
import { Simulation } from './sim';

// Expected texts below are real redis-server 7.0.15's, captured on this machine:
//   redis-cli bgsave → "Background saving started"; a second → "ERR Background save already in
//   progress"; "bgsave foo" / "shutdown bogus" → "ERR syntax error"; "shutdown abort" → "ERR No
//   shutdown in progress."; log: "Background saving started by pid N", child "DB saved on disk",
//   "Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB", parent "Background saving
//   terminated with success"; SHUTDOWN logs "User requested shutdown...", ("Saving the final RDB
//   snapshot before exiting.", "DB saved on disk",) "Removing the pid file.", "Redis is now ready
//   to exit, bye bye..."; redis-cli afterwards: "Could not connect to Redis at HOST:PORT:
//   Connection refused".

const messages = (sim: Simulation, name: string): string[] =>
  sim.server(name).log.map((l) => l.replace(/^\d+:[MSC] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const info = (sim: Simulation, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(sim.state, sim.server(name)));
const err = (v: string) => ({ t: 'error', v });
const status = (v: string) => ({ t: 'status', v });

function lab(opts: ConstructorParameters<typeof Simulation>[0] = {}): Simulation {
  const sim = new Simulation({ seed: 3, ...opts });
  sim.addServer('master', '10.0.0.1', 6379);
  sim.addServer('replica1', '10.0.0.2', 6379);
  return sim;
}

describe('BGSAVE', () => {
  it('forks a disk child the parent notices in serverCron; a second one is refused', () => {
    const sim = lab();
    sim.exec('master', ['SET', 'a', '1']);
    const events: string[] = [];
    sim.subscribe((e) => {
      if (e.type === 'bgsave') events.push(`${e.phase} ${e.target} ${e.purpose}`);
    });
    expect(sim.exec('master', ['BGSAVE'])).toEqual(status('Background saving started'));
    expect(sim.exec('master', ['BGSAVE'])).toEqual(err('ERR Background save already in progress'));
    expect(sim.exec('master', ['BGSAVE', 'SCHEDULE'])).toEqual(
      err('ERR Background save already in progress'),
    );
    expect(sim.exec('master', ['BGSAVE', 'later'])).toEqual(err('ERR syntax error'));
    expect(sim.exec('master', ['SAVE'])).toEqual(err('ERR Background save already in progress'));
    sim.advance(200);
    const m = messages(sim, 'master');
    const i = m.findIndex((x) => /^Background saving started by pid \d+$/.test(x));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(m.slice(i + 1, i + 4)).toEqual([
      'DB saved on disk',
      'Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      'Background saving terminated with success',
    ]);
    // The child's lines carry its own pid and role C.
    const childLine = sim.server('master').log.find((l) => l.includes('DB saved on disk'))!;
    const pid = /by pid (\d+)/.exec(m[i]!)![1];
    expect(childLine.startsWith(`${pid}:C `)).toBe(true);
    expect(events).toEqual(['start disk bgsave', 'end disk bgsave']);
    expect(sim.server('master').child).toBeNull();
    expect(sim.exec('master', ['BGSAVE'])).toEqual(status('Background saving started'));
  });

  it('a replica asking for a full sync meanwhile cannot attach and gets its own fork after it', () => {
    const sim = lab();
    sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
    sim.exec('master', ['MSET', 'k1', 'a', 'k2', 'b']);
    // 2 keys × 1 s per key: the BGSAVE child lasts ~2 s.
    sim.exec('master', ['CONFIG', 'SET', 'rdb-key-save-delay', '1000000']);
    sim.exec('master', ['BGSAVE']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(500);
    expect(messages(sim, 'master')).toContain(
      "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
    );
    sim.exec('master', ['CONFIG', 'SET', 'rdb-key-save-delay', '0']);
    sim.advance(4000);
    const m = messages(sim, 'master');
    const done = m.indexOf('Background saving terminated with success');
    expect(m.slice(done + 1)).toContain('Starting BGSAVE for SYNC with target: disk');
    expect(info(sim, 'replica1').master_link_status).toBe('up');
  });
});

describe('SHUTDOWN', () => {
  it('saves, exits, and leaves the server down until restart; its replica is refused meanwhile', () => {
    const sim = lab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(7000);
    sim.exec('master', ['SET', 'k', 'v']);
    // A second later the replica's REPLCONF ACK has reported the SET: it is in sync.
    sim.advance(1100);
    expect(sim.exec('master', ['SHUTDOWN', 'bogus'])).toEqual(err('ERR syntax error'));
    expect(sim.exec('master', ['SHUTDOWN', 'ABORT'])).toEqual(err('ERR No shutdown in progress.'));
    expect(sim.exec('master', ['SHUTDOWN'])).toEqual(status(''));
    expect(messages(sim, 'master').slice(-6)).toEqual([
      'User requested shutdown...',
      '1 of 1 replicas are in sync when shutting down.',
      'Saving the final RDB snapshot before exiting.',
      'DB saved on disk',
      'Removing the pid file.',
      'Redis is now ready to exit, bye bye...',
    ]);
    expect(sim.server('master').alive).toBe(false);
    expect(sim.exec('master', ['PING'])).toEqual(
      err('Could not connect to Redis at 10.0.0.1:6379: Connection refused'),
    );
    sim.advance(2500);
    const r = messages(sim, 'replica1');
    expect(r).toContain('Connection with master lost.');
    expect(
      r.filter((x) => x === 'Error condition on socket for SYNC: Connection refused').length,
    ).toBeGreaterThanOrEqual(2);
    expect(sim.serverNames()).toContain('master');
  });

  it('names a replica that has not acknowledged the last write', () => {
    const sim = lab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(7000);
    // The first write after the full sync: SELECT 0 (*2 $6 SELECT $1 0 = 4 + 12 + 7 = 23 bytes)
    // then SET k v (*3 $3 SET $1 k $1 v = 4 + 9 + 7 + 7 = 27): 50 bytes the replica has not
    // ACKed yet (its ACK comes with its next cron tick); its last ACK was 0 s ago.
    sim.advance(600);
    sim.exec('master', ['SET', 'k', 'v']);
    // NOW: no REPLCONF GETACK, no wait for the replica's ACK.
    sim.exec('master', ['SHUTDOWN', 'NOSAVE', 'NOW']);
    expect(messages(sim, 'master')).toContain(
      'Lagging replica 10.0.0.2:6379 reported offset 50 behind master, lag=0, state=online.',
    );
    expect(messages(sim, 'master')).toContain('0 of 1 replicas are in sync when shutting down.');
  });

  it('NOSAVE exits without saving', () => {
    const sim = lab();
    sim.exec('master', ['SHUTDOWN', 'NOSAVE']);
    expect(messages(sim, 'master').slice(-3)).toEqual([
      'User requested shutdown...',
      'Removing the pid file.',
      'Redis is now ready to exit, bye bye...',
    ]);
    expect(sim.server('master').rdbOnDisk).toBeNull();
  });
});

describe('CONFIG RESETSTAT', () => {
  it('zeroes sync_full and the partial counters', () => {
    const sim = lab();
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.advance(7000);
    const stats = (): string => {
      const r = sim.exec('master', ['INFO', 'stats']);
      return r.t === 'bulk' ? (r.v ?? '') : '';
    };
    expect(stats()).toContain('sync_full:1\r\n');
    expect(sim.exec('master', ['CONFIG', 'RESETSTAT', 'now'])).toEqual(
      err("ERR wrong number of arguments for 'config|resetstat' command"),
    );
    expect(sim.exec('master', ['CONFIG', 'RESETSTAT'])).toEqual(status('OK'));
    expect(stats()).toContain('sync_full:0\r\n');
    sim.setNet('replica1', false, false);
    sim.exec('master', ['SET', 'a', '1']);
    sim.advance(100);
    sim.setNet('replica1', true, false);
    sim.advance(2000);
    expect(stats()).toContain('sync_full:0\r\nsync_partial_ok:1\r\nsync_partial_err:0');
  });
});

describe('master_sync_read_bytes', () => {
  it('grows evenly while the RDB crosses a limited link', () => {
    // 1,000 bytes/s and a 1 ms latency: an RDB of N bytes takes N ms to send, so halfway
    // through its transfer the replica has read about half of it.
    const sim = lab({ bytesPerSec: 1000, latencyMs: 1 });
    sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
    sim.exec('master', ['SET', 'big', 'x'.repeat(3000)]);
    let header = 0;
    let size = 0;
    sim.subscribe((e) => {
      if (e.type === 'message' && e.kind === 'RDB' && e.label.startsWith('$')) {
        header = e.arriveAt;
        size = Number(e.label.slice(1));
      }
    });
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    while (header === 0 && sim.step());
    // The payload's bytes arrive from the header's arrival on, at 1 byte per ms.
    sim.runUntil(header + size / 2);
    const mid = info(sim, 'replica1');
    expect(mid.master_sync_in_progress).toBe('1');
    expect(mid.master_sync_total_bytes).toBe(String(size));
    const read = Number(mid.master_sync_read_bytes);
    expect(Math.abs(read - size / 2)).toBeLessThanOrEqual(2);
    expect(Number(mid.master_sync_left_bytes)).toBe(size - read);
    sim.runUntil(header + size + 5);
    expect(info(sim, 'replica1').master_link_status).toBe('up');
  });
});
