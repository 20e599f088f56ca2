import { describe, expect, it } from 'vitest';
import { replicationFields } from './info';
import { Simulation } from './sim';

// replica-read-only as Redis 7.0.15 has it:
// - config.c: createBoolConfig("replica-read-only", "slave-read-only", ..., server.repl_slave_ro, 1)
// - server.c processCommand: `server.masterhost && server.repl_slave_ro && !obey_client &&
//   is_write_command` → rejectCommand(c, shared.roslaveerr), which flags a MULTI
//   (flagTransaction) and turns an EXEC with a queued write into execCommandAbort; the check
//   comes before a command is queued. execCommand itself checks nothing of the kind.
// - replication.c replicationFeedSlaves returns at once when `server.masterhost != NULL`: a
//   writable replica's own writes reach neither its backlog nor its replicas, and leave
//   master_repl_offset alone.
// - db.c lookupKey: a write on a writable replica passes EXPIRE_FORCE_DELETE_EXPIRED, so an
//   expired key it touches is deleted (and counted in expired_keys) as on a master.
// Error texts and the alias behaviour were also seen with redis-cli on a real 7.0.15.

const READONLY = { t: 'error', v: "READONLY You can't write against a read only replica." };
const OK = { t: 'status', v: 'OK' };
const bulk = (v: string | null) => ({ t: 'bulk', v });
const int = (v: number) => ({ t: 'int', v });
const info = (sim: Simulation, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(sim.state, sim.server(name)));
const messages = (sim: Simulation, name: string): string[] =>
  sim.server(name).log.map((l) => l.replace(/^\d+:[MSC] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const configGet = (sim: Simulation, name: string, pattern: string) => {
  const r = sim.exec(name, ['CONFIG', 'GET', pattern]);
  if (r.t !== 'array') throw new Error(JSON.stringify(r));
  return r.v!.map((x) => (x.t === 'bulk' ? x.v : null));
};

/** master ← replica1 ← replica2, synced (diskless, 5 s delay on each master). */
function chain(): Simulation {
  const sim = new Simulation({ seed: 7 });
  sim.addServer('master', '10.0.0.1', 6379);
  sim.addServer('replica1', '10.0.0.2', 6379);
  sim.addServer('replica2', '10.0.0.3', 6379);
  sim.exec('master', ['SET', 'a', '1']);
  sim.exec('replica1', ['REPLICAOF', '10.0.0.1', '6379']);
  sim.exec('replica2', ['REPLICAOF', '10.0.0.2', '6379']);
  sim.advance(14000);
  expect(info(sim, 'replica1').master_link_status).toBe('up');
  expect(info(sim, 'replica2').master_link_status).toBe('up');
  return sim;
}

describe('CONFIG replica-read-only / slave-read-only', () => {
  it('defaults to yes under both names; a bad value is refused naming the name used', () => {
    const sim = new Simulation();
    sim.addServer('r', '10.0.0.1', 6379);
    expect(configGet(sim, 'r', 'replica-read-only')).toEqual(['replica-read-only', 'yes']);
    expect(configGet(sim, 'r', 'SLAVE-read-only')).toEqual(['SLAVE-read-only', 'yes']);
    expect(configGet(sim, 'r', '*read-only')).toEqual([
      'replica-read-only',
      'yes',
      'slave-read-only',
      'yes',
    ]);
    for (const name of ['replica-read-only', 'Slave-Read-Only']) {
      expect(sim.exec('r', ['CONFIG', 'SET', name, 'maybe'])).toEqual({
        t: 'error',
        v: `ERR CONFIG SET failed (possibly related to argument '${name.toLowerCase()}') - argument must be 'yes' or 'no'`,
      });
    }
    // One setting under two names; yesnotoi compares without case.
    expect(sim.exec('r', ['CONFIG', 'SET', 'slave-read-only', 'NO'])).toEqual(OK);
    expect(configGet(sim, 'r', 'replica-read-only')).toEqual(['replica-read-only', 'no']);
    // A name and its alias are not a duplicate parameter (seen on 7.0.15): the last one wins.
    expect(
      sim.exec('r', ['CONFIG', 'SET', 'replica-read-only', 'no', 'slave-read-only', 'yes']),
    ).toEqual(OK);
    expect(configGet(sim, 'r', 'replica-read-only')).toEqual(['replica-read-only', 'yes']);
  });

  it('INFO replication shows it as slave_read_only:1/0 on a replica', () => {
    const sim = chain();
    expect(info(sim, 'replica1').slave_read_only).toBe('1');
    sim.exec('replica1', ['CONFIG', 'SET', 'replica-read-only', 'no']);
    expect(info(sim, 'replica1').slave_read_only).toBe('0');
    expect(info(sim, 'master').slave_read_only).toBeUndefined();
  });
});

describe('a read-only replica', () => {
  it('refuses every write command from its client, reads pass; a master does not care', () => {
    const sim = chain();
    for (const argv of [
      ['SET', 'x', '1'],
      ['DEL', 'a'],
      ['EXPIRE', 'a', '10'],
      ['INCR', 'n'],
      ['FLUSHALL'],
    ])
      expect(sim.exec('replica1', argv)).toEqual(READONLY);
    expect(sim.exec('replica1', ['GET', 'a'])).toEqual(bulk('1'));
    expect(sim.exec('replica1', ['DBSIZE'])).toEqual(int(1));
    // The setting only counts while the server has a master.
    sim.exec('master', ['CONFIG', 'SET', 'replica-read-only', 'yes']);
    expect(sim.exec('master', ['SET', 'b', '2'])).toEqual(OK);
    sim.advance(100);
    expect(sim.exec('replica1', ['GET', 'b'])).toEqual(bulk('2'));
  });

  it('still refuses with its link down: only masterhost counts', () => {
    const sim = chain();
    sim.setNet('replica1', false, false);
    sim.advance(2000);
    expect(info(sim, 'replica1').master_link_status).toBe('down');
    expect(sim.exec('replica1', ['SET', 'x', '1'])).toEqual(READONLY);
  });

  it('refuses a write before MULTI queues it, which dooms the transaction (7.0)', () => {
    const sim = chain();
    expect(sim.exec('replica1', ['MULTI'])).toEqual(OK);
    expect(sim.exec('replica1', ['SET', 'x', '1'])).toEqual(READONLY);
    expect(sim.exec('replica1', ['GET', 'a'])).toEqual({ t: 'status', v: 'QUEUED' });
    expect(sim.exec('replica1', ['EXEC'])).toEqual({
      t: 'error',
      v: 'EXECABORT Transaction discarded because of previous errors.',
    });
  });

  it('runs a write queued while writable even if the transaction makes it read-only first', () => {
    const sim = chain();
    sim.exec('replica1', ['CONFIG', 'SET', 'replica-read-only', 'no']);
    sim.exec('replica1', ['MULTI']);
    sim.exec('replica1', ['SET', 'x', '1']);
    sim.exec('replica1', ['CONFIG', 'SET', 'replica-read-only', 'yes']);
    // EXEC is checked once, in processCommand, while the replica is still writable.
    expect(sim.exec('replica1', ['EXEC'])).toEqual({ t: 'array', v: [OK, OK] });
    expect(sim.exec('replica1', ['GET', 'x'])).toEqual(bulk('1'));
    expect(sim.exec('replica1', ['SET', 'x', '2'])).toEqual(READONLY);
  });
});

describe('a writable replica', () => {
  it('applies a local write without feeding its stream: offsets stay, sub-replicas never see it', () => {
    const sim = chain();
    const before = { r1: info(sim, 'replica1'), r2: info(sim, 'replica2') };
    expect(sim.exec('replica1', ['CONFIG', 'SET', 'replica-read-only', 'no'])).toEqual(OK);
    expect(sim.exec('replica1', ['SET', 'local', 'v'])).toEqual(OK);
    expect(sim.exec('replica1', ['GET', 'local'])).toEqual(bulk('v'));
    sim.advance(100);
    expect(info(sim, 'replica1').master_repl_offset).toBe(before.r1.master_repl_offset);
    expect(info(sim, 'replica1').repl_backlog_histlen).toBe(before.r1.repl_backlog_histlen);
    expect(info(sim, 'replica2').master_repl_offset).toBe(before.r2.master_repl_offset);
    expect(sim.exec('replica2', ['EXISTS', 'local'])).toEqual(int(0));
    expect(sim.exec('master', ['EXISTS', 'local'])).toEqual(int(0));
    // The master's writes still flow through it as before.
    sim.exec('master', ['SET', 'b', '2']);
    sim.advance(100);
    expect(sim.exec('replica2', ['GET', 'b'])).toEqual(bulk('2'));
    expect(info(sim, 'replica2').master_repl_offset).toBe(info(sim, 'master').master_repl_offset);
  });

  it('keeps a local key through a partial resync, loses it in a full one', () => {
    const sim = chain();
    sim.exec('master', ['CONFIG', 'SET', 'repl-backlog-size', '16384']);
    sim.exec('replica1', ['CONFIG', 'SET', 'replica-read-only', 'no']);
    sim.exec('replica1', ['SET', 'local', 'v']);
    // A short cut: the backlog still covers it, PSYNC continues; the dataset is not touched.
    sim.setNet('replica1', false, false);
    sim.exec('master', ['SET', 'b', '2']);
    sim.advance(1000);
    sim.setNet('replica1', true, false);
    sim.advance(3000);
    expect(messages(sim, 'replica1')).toContain(
      'MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
    );
    expect(sim.exec('replica1', ['GET', 'local'])).toEqual(bulk('v'));
    expect(sim.exec('replica1', ['GET', 'b'])).toEqual(bulk('2'));
    // A cut longer than the backlog: a full resync flushes the replica and loads the master's RDB.
    sim.setNet('replica1', false, false);
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 60; i++) sim.exec('master', ['SET', `k${i}`, big]);
    sim.advance(1000);
    sim.setNet('replica1', true, false);
    sim.advance(10000);
    expect(
      messages(sim, 'replica1').filter((l) => l.startsWith('Full resync from master:')),
    ).toHaveLength(2);
    expect(sim.exec('replica1', ['EXISTS', 'local'])).toEqual(int(0));
    // a, b, k0..k59: the master's dataset, nothing else.
    expect(sim.exec('replica1', ['DBSIZE'])).toEqual(int(62));
    // Still writable: the setting is the replica's own.
    expect(sim.exec('replica1', ['SET', 'local', 'w'])).toEqual(OK);
  });

  it('deletes an expired key a write touches, as a master would; reads only hide it (7.0 db.c)', () => {
    const sim = chain();
    sim.exec('master', ['SET', 'e', '1', 'PX', '300']);
    sim.exec('master', ['SET', 'f', '1', 'PX', '300']);
    sim.advance(100);
    // Cut before the master's DELs can arrive.
    sim.setNet('replica1', false, true);
    sim.advance(500);
    expect(sim.exec('replica1', ['EXISTS', 'e'])).toEqual(int(0));
    expect(sim.exec('replica1', ['DBSIZE'])).toEqual(int(3));
    sim.exec('replica1', ['CONFIG', 'SET', 'replica-read-only', 'no']);
    // A read still leaves the key alone.
    expect(sim.exec('replica1', ['GET', 'e'])).toEqual(bulk(null));
    expect(sim.exec('replica1', ['DBSIZE'])).toEqual(int(3));
    expect(sim.server('replica1').stat_expiredkeys).toBe(0);
    // APPEND finds e expired, deletes it, and starts a new string.
    expect(sim.exec('replica1', ['APPEND', 'e', 'z'])).toEqual(int(1));
    expect(sim.exec('replica1', ['GET', 'e'])).toEqual(bulk('z'));
    expect(sim.server('replica1').stat_expiredkeys).toBe(1);
    // EXPIRE on an expired key: deleted, so nothing to set.
    expect(sim.exec('replica1', ['EXPIRE', 'f', '100'])).toEqual(int(0));
    expect(sim.exec('replica1', ['DBSIZE'])).toEqual(int(2));
    expect(sim.server('replica1').stat_expiredkeys).toBe(2);
  });
});
