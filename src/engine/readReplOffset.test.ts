/**
 * slave_read_repl_offset (6.2+): the master client's read_reploff, which readQueryFromClient
 * moves by every byte it reads (networking.c: `if (c->flags & CLIENT_MASTER) c->read_reploff +=
 * nread`), while slave_repl_offset (reploff) moves only when a whole command has been applied.
 * Over a slow link a command's bytes arrive over time. Numbers worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { replicationFields } from './info';
import { Simulation } from './sim';

const info = (sim: Simulation, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(sim.state, sim.server(name)));

// SELECT 0 (23 bytes) then SET k <949 bytes>: *3\r\n (4) $3\r\nSET\r\n (9) $1\r\nk\r\n (7)
// $949\r\n (6) the value (949) \r\n (2) = 977: 1000 bytes in all, one second at 1000 B/s.
const VALUE = 'v'.repeat(949);

describe('slave_read_repl_offset over a slow link', () => {
  it('counts the bytes of a command still arriving; slave_repl_offset only whole ones', () => {
    const sim = new Simulation({ seed: 7, version: '6.2' });
    sim.addServer('master', '10.0.0.1', 6379);
    sim.addServer('replica1', '10.0.0.2', 6379);
    for (const s of sim.serverNames())
      sim.exec(s, ['CONFIG', 'SET', 'repl-ping-replica-period', '3600']);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(3000);
    expect(info(sim, 'replica1').slave_repl_offset).toBe('0');
    sim.state.latencyMs = 0;
    sim.state.bytesPerSec = 1000;
    const t0 = sim.state.now;
    sim.exec('master', ['SET', 'k', VALUE]);
    expect(info(sim, 'master').master_repl_offset).toBe('1000');
    // The SET leaves at t0: 250 ms later, 250 of its 1000 bytes have been read.
    sim.runUntil(t0 + 250);
    expect(info(sim, 'replica1').slave_read_repl_offset).toBe('250');
    expect(info(sim, 'replica1').slave_repl_offset).toBe('0');
    sim.runUntil(t0 + 999);
    expect(info(sim, 'replica1').slave_read_repl_offset).toBe('999');
    expect(info(sim, 'replica1').slave_repl_offset).toBe('0');
    sim.runUntil(t0 + 1000);
    expect(info(sim, 'replica1').slave_read_repl_offset).toBe('1000');
    expect(info(sim, 'replica1').slave_repl_offset).toBe('1000');
  });

  it('without a bandwidth both are the applied offset', () => {
    const sim = new Simulation({ seed: 7, version: '6.2' });
    sim.addServer('master', '10.0.0.1', 6379);
    sim.addServer('replica1', '10.0.0.2', 6379);
    sim.exec('replica1', ['REPLICAOF', 'master', '6379']);
    sim.runUntil(3000);
    sim.exec('master', ['SET', 'k', VALUE]);
    const r = info(sim, 'replica1');
    expect(r.slave_read_repl_offset).toBe(r.slave_repl_offset);
  });
});
