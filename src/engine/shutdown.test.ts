/**
 * SHUTDOWN with replicas (7.0 server.c prepareForShutdown / isReadyToShutdown / finishShutdown)
 * and a disk BGSAVE abandoned by its replica (networking.c freeClient → killRDBChild). Numbers
 * are worked out by hand; the sequences were seen on a real 7.0.15 (conformance corpus
 * master-restart-getack, master-restart-cut-replica, abandoned-disk-bgsave).
 *
 * All servers start at t = 0: replicationCron (and so a replica's REPLCONF ACK) at 1 ms + k s,
 * serverCron (the shutdown check, reaping a child) at 1 ms + k × 100 ms.
 */
import { describe, expect, it } from 'vitest';
import { replicationFields } from './info';
import { err, status } from './reply';
import { Simulation } from './sim';

const messages = (sim: Simulation, name: string): string[] =>
  sim.server(name).log.map((l) => l.replace(/^\d+:[MSC] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const info = (sim: Simulation, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(sim.state, sim.server(name)));

// *2\r\n (4) $6\r\nSELECT\r\n (12) $1\r\n0\r\n (7)
const SELECT_0 = 4 + 12 + 7; // 23
// *3\r\n (4) $3\r\nSET\r\n (9) $1\r\na\r\n (7) $1\r\n1\r\n (7)
const SET_A_1 = 4 + 9 + 7 + 7; // 27
// *3\r\n (4) $8\r\nREPLCONF\r\n (14) $6\r\nGETACK\r\n (12) $1\r\n*\r\n (7)
const GETACK = 4 + 14 + 12 + 7; // 37

/** A master and `n` replicas in sync at offset 0 (diskless full syncs at ~5 s), no PINGs. */
function synced(n: number, version: '7.0' | '5.0' = '7.0'): Simulation {
  const sim = new Simulation({ seed: 3, version });
  sim.addServer('master', '10.0.0.1', 6379);
  for (let i = 1; i <= n; i++) sim.addServer(`replica${i}`, `10.0.0.${i + 1}`, 6379);
  for (const s of sim.serverNames())
    sim.exec(s, ['CONFIG', 'SET', 'repl-ping-replica-period', '3600']);
  for (let i = 1; i <= n; i++) sim.exec(`replica${i}`, ['REPLICAOF', 'master', '6379']);
  sim.runUntil(7500);
  expect(info(sim, 'master').master_repl_offset).toBe('0');
  return sim;
}

describe('7.0 SHUTDOWN waits for lagging replicas', () => {
  it('a restart right after a write: GETACK (37 bytes) goes into the stream and the saved offset', () => {
    const sim = synced(1);
    sim.exec('master', ['SET', 'a', '1']); // 7.500 s: 23 + 27 = 50, replica1 has not ACKed it
    const oldId = info(sim, 'master').master_replid;
    sim.restart('master');
    const m = messages(sim, 'master');
    const from = m.lastIndexOf('User requested shutdown...');
    expect(m.slice(from, from + 3)).toEqual([
      'User requested shutdown...',
      'Waiting for replicas before shutting down.',
      '1 of 1 replicas are in sync when shutting down.',
    ]);
    // replica1 answers the GETACK with the offset before it (50); its cron ACK at 8.001 s says
    // 87, which arrives at 8.0015: the next serverCron tick, 8.101 s, finishes the shutdown.
    expect(sim.server('master').startedAt).toBe(8101);
    const saved = SELECT_0 + SET_A_1 + GETACK; // 87
    expect(info(sim, 'master')).toMatchObject({
      master_replid2: oldId,
      master_repl_offset: String(saved),
      second_repl_offset: String(saved + 1),
    });
    // replica1 got all 87 bytes: after the restart it continues with nothing to send.
    sim.runUntil(10_500);
    expect(messages(sim, 'master')).toContain(
      `Partial resynchronization request from 10.0.0.2:6379 accepted. Sending 0 bytes of backlog starting from offset ${saved + 1}.`,
    );
  });

  it('replicas already in sync: no GETACK, no wait, the offset unchanged', () => {
    const sim = synced(1);
    sim.exec('master', ['SET', 'a', '1']);
    sim.runUntil(8500); // replica1's ACK of 8.001 s reported 50
    sim.restart('master');
    expect(sim.server('master').startedAt).toBe(8500);
    expect(messages(sim, 'master')).not.toContain('Waiting for replicas before shutting down.');
    expect(messages(sim, 'master')).toContain('1 of 1 replicas are in sync when shutting down.');
    expect(info(sim, 'master').master_repl_offset).toBe(String(SELECT_0 + SET_A_1));
  });

  it('SHUTDOWN blocks its client until the process exits; NOW and shutdown-timeout 0 do not wait', () => {
    const wait = synced(1);
    wait.exec('master', ['SET', 'a', '1']);
    expect(wait.exec('master', ['SHUTDOWN', 'SAVE'])).toEqual(status(''));
    expect(wait.now).toBe(8101);
    expect(wait.server('master').rdbOnDisk!.replOffset).toBe(SELECT_0 + SET_A_1 + GETACK);

    const now = synced(1);
    now.exec('master', ['SET', 'a', '1']);
    expect(now.exec('master', ['SHUTDOWN', 'SAVE', 'NOW'])).toEqual(status(''));
    expect(now.server('master').rdbOnDisk!.replOffset).toBe(SELECT_0 + SET_A_1);
    expect(messages(now, 'master')).toContain(
      'Lagging replica 10.0.0.2:6379 reported offset 50 behind master, lag=0, state=online.',
    );

    const zero = synced(1);
    expect(zero.exec('master', ['CONFIG', 'SET', 'shutdown-timeout', '0'])).toEqual(status('OK'));
    zero.exec('master', ['SET', 'a', '1']);
    zero.exec('master', ['SHUTDOWN', 'SAVE']);
    expect(zero.server('master').rdbOnDisk!.replOffset).toBe(SELECT_0 + SET_A_1);
    expect(messages(zero, 'master')).toContain('0 of 1 replicas are in sync when shutting down.');
  });

  it('a silently cut replica never ACKs: the shutdown goes ahead at shutdown-timeout', () => {
    const sim = synced(2);
    sim.exec('master', ['CONFIG', 'SET', 'shutdown-timeout', '3']);
    sim.setNet('replica2', 'silent');
    sim.exec('master', ['SET', 'a', '1']);
    const shutdownAt = sim.now;
    sim.restart('master');
    // Deadline 3 s after the SHUTDOWN (7.5 s): the first serverCron tick from then is 10.501 s.
    expect(shutdownAt).toBe(7500);
    expect(sim.server('master').startedAt).toBe(10_501);
    // replica2's last ACK came at 7.001 s, in second 7; it is second 10 now: lag 3.
    expect(messages(sim, 'master')).toContain(
      `Lagging replica 10.0.0.3:6379 reported offset ${SELECT_0 + SET_A_1 + GETACK} behind master, lag=3, state=online.`,
    );
    expect(messages(sim, 'master')).toContain('1 of 2 replicas are in sync when shutting down.');
    // Once the path is back, TCP delivers what the exited master had sent (the write, the
    // GETACK), then its FIN: replica2 asks to continue after them, as on a real 7.0.15.
    sim.setNet('replica2', 'up');
    sim.runUntil(30_000);
    expect(messages(sim, 'replica2')).toContain(
      `Trying a partial resynchronization (request ${info(sim, 'master').master_replid2}:88).`,
    );
    expect(messages(sim, 'replica2')).toContain(
      'Successful partial resynchronization with master.',
    );
  });

  it('SHUTDOWN options: ABORT alone, SAVE and NOSAVE not together; CONFIG shutdown-timeout', () => {
    const sim = synced(0);
    expect(sim.exec('master', ['SHUTDOWN', 'SAVE', 'NOSAVE'])).toEqual(err('ERR syntax error'));
    expect(sim.exec('master', ['SHUTDOWN', 'ABORT', 'NOW'])).toEqual(err('ERR syntax error'));
    expect(sim.exec('master', ['SHUTDOWN', 'ABORT'])).toEqual(err('ERR No shutdown in progress.'));
    expect(sim.exec('master', ['CONFIG', 'GET', 'shutdown-timeout'])).toEqual({
      t: 'array',
      v: [
        { t: 'bulk', v: 'shutdown-timeout' },
        { t: 'bulk', v: '10' },
      ],
    });
    expect(sim.exec('master', ['CONFIG', 'SET', 'shutdown-timeout', '-1'])).toEqual(
      err(
        "ERR CONFIG SET failed (possibly related to argument 'shutdown-timeout') - argument must be between 0 and 2147483647 inclusive",
      ),
    );
  });
});

describe('5.0 SHUTDOWN saves at once', () => {
  it('no GETACK, no replica lines, no NOW, no shutdown-timeout', () => {
    const sim = synced(1, '5.0');
    sim.exec('master', ['SET', 'a', '1']);
    expect(sim.exec('master', ['SHUTDOWN', 'NOW'])).toEqual(err('ERR syntax error'));
    expect(sim.exec('master', ['CONFIG', 'GET', 'shutdown-timeout'])).toEqual({
      t: 'array',
      v: [],
    });
    const before = sim.now;
    expect(sim.exec('master', ['SHUTDOWN', 'SAVE'])).toEqual(status(''));
    expect(sim.now).toBe(before);
    expect(sim.server('master').rdbOnDisk!.replOffset).toBe(SELECT_0 + SET_A_1);
    const m = messages(sim, 'master');
    expect(m).not.toContain('Waiting for replicas before shutting down.');
    expect(m.some((l) => l.includes('replicas are in sync'))).toBe(false);
  });
});

describe('a disk BGSAVE abandoned by its only replica', () => {
  /** Disk sync, 4 keys × 0.5 s: the BGSAVE child takes 2 s; replica1's link resets 1 s in. */
  function abandoned(version: '7.0' | '5.0'): Simulation {
    const sim = new Simulation({ seed: 5, version });
    sim.addServer('master', '10.0.0.1', 6379);
    sim.addServer('replica1', '10.0.0.2', 6379);
    sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
    sim.exec('master', ['MSET', 'k1', 'a', 'k2', 'b', 'k3', 'c', 'k4', 'd']);
    sim.exec('master', ['CONFIG', 'SET', 'rdb-key-save-delay', '500000']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(1500);
    sim.setNet('replica1', 'down');
    return sim;
  }

  it('7.0 kills the child; the replica back gets a fresh BGSAVE at the current offset', () => {
    const sim = abandoned('7.0');
    expect(sim.server('master').child?.killed).toBe(true);
    // Reaped at the next serverCron tick, 1.501 s: killed by SIGUSR1, nothing saved.
    sim.runUntil(1501);
    expect(sim.server('master').child).toBeNull();
    expect(messages(sim, 'master')).toContain('Background saving terminated by signal 10');
    expect(sim.server('master').rdbOnDisk).toBeNull();
    expect(messages(sim, 'replica1')).toContain(
      'I/O error reading bulk count from MASTER: Success',
    );
    sim.exec('master', ['SET', 'a', '1']); // 23 + 27 = 50
    sim.setNet('replica1', 'up');
    sim.runUntil(3000);
    const m = messages(sim, 'master');
    expect(m.filter((l) => l === 'Starting BGSAVE for SYNC with target: disk')).toHaveLength(2);
    expect(
      messages(sim, 'replica1').filter((l) => l.startsWith('Full resync from master:')),
    ).toEqual([
      `Full resync from master: ${info(sim, 'master').master_replid}:0`,
      `Full resync from master: ${info(sim, 'master').master_replid}:${SELECT_0 + SET_A_1}`,
    ]);
  });

  it('7.0 keeps it while another replica still waits for it', () => {
    const sim = new Simulation({ seed: 5 });
    sim.addServer('master', '10.0.0.1', 6379);
    sim.addServer('replica1', '10.0.0.2', 6379);
    sim.addServer('replica2', '10.0.0.3', 6379);
    sim.exec('master', ['CONFIG', 'SET', 'repl-diskless-sync', 'no']);
    sim.exec('master', ['MSET', 'k1', 'a', 'k2', 'b', 'k3', 'c', 'k4', 'd']);
    sim.exec('master', ['CONFIG', 'SET', 'rdb-key-save-delay', '500000']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(500);
    sim.exec('replica2', ['REPLICAOF', 'master', '6379']); // joins the BGSAVE under way
    sim.runUntil(1000);
    expect(messages(sim, 'master')).toContain('Waiting for end of BGSAVE for SYNC');
    sim.setNet('replica1', 'down');
    sim.runUntil(4000);
    const m = messages(sim, 'master');
    expect(m).not.toContain('Background saving terminated by signal 10');
    expect(m).toContain('Background saving terminated with success');
    expect(info(sim, 'replica2').master_link_status).toBe('up');
  });

  it('5.0 lets it run on and save', () => {
    const sim = abandoned('5.0');
    sim.runUntil(4000);
    const m = messages(sim, 'master');
    expect(m).not.toContain('Background saving terminated by signal 10');
    expect(m).toContain('Background saving terminated with success');
    expect(sim.server('master').rdbOnDisk).not.toBeNull();
  });
});
