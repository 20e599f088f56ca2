/**
 * Server views and logs from a plain engine state: hand-edited states (no stepping) and a short
 * lab run, with expected values written from the state, not copied from output.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../engine/sim';
import type { ServerState, SimState, SlaveClient } from '../engine/types';
import { runText } from '../lab/run';
import { parseScript } from '../lab/script';
import { MAX_LOG } from './constants';
import { buildLogs, buildServerViews, shareSorted, topologyRoot } from './serverViews';
import type { KeyView, ServerView } from './types';

function twoServers(): { state: SimState; master: ServerState; replica: ServerState } {
  const sim = new Simulation({ seed: 3 });
  sim.addServer('master', '10.0.0.1', 6379);
  sim.addServer('replica1', '10.0.0.2', 6380);
  // From here on the state is plain data, edited by hand.
  const state = sim.state;
  return { state, master: state.servers['master']!, replica: state.servers['replica1']! };
}

function slaveEntry(over: Partial<SlaveClient>): SlaveClient {
  return {
    connId: 1,
    clientId: 5,
    name: '10.0.0.2:6380',
    ip: '10.0.0.2',
    listeningPort: 6380,
    replstate: 'online',
    capaEof: true,
    capaPsync2: true,
    replAckOff: 0,
    replAckTime: 0,
    psyncInitialOffset: 0,
    sentOffset: 0,
    refBlock: null,
    streaming: true,
    lastInteraction: 0,
    ctime: 0,
    acceptedAt: 0,
    fd: 9,
    lastcmd: 'psync',
    obuf_soft_limit_reached_time: 0,
    closeAsap: false,
    ...over,
  };
}

function byName(views: readonly ServerView[], name: string): ServerView {
  const v = views.find((x) => x.name === name);
  if (!v) throw new Error(`no view of ${name}`);
  return v;
}

describe('buildServerViews on a hand-made state', () => {
  it('a master with a backlog, and the replica streaming from it', () => {
    const { state, master, replica } = twoServers();
    master.master_repl_offset = 2099;
    master.backlog = { offset: 900, histlen: 1200 };
    master.config['repl-backlog-size'] = 16384;
    master.slaves.push(slaveEntry({ replAckOff: 2000 }));
    replica.masterhost = '10.0.0.1';
    replica.masterport = 6379;
    replica.repl_state = 'connected';
    replica.replid = master.replid;
    replica.master_repl_offset = 2000;

    const views = buildServerViews(state);
    expect(views.map((v) => v.name)).toEqual(['master', 'replica1']);
    const m = byName(views, 'master');
    expect(m).toMatchObject({
      addr: '10.0.0.1:6379',
      role: 'master',
      masterName: null,
      masterAddr: null,
      link: null,
      net: 'up',
      offset: 2099,
      backlog: { first: 900, histlen: 1200, size: 16384 },
      backlogSize: 16384,
      replicas: [{ server: 'replica1', addr: '10.0.0.2:6380', state: 'online', ackOffset: 2000 }],
    });
    expect(m.info).toContainEqual(['master_repl_offset', '2099']);
    expect(m.info).toContainEqual(['repl_backlog_first_byte_offset', '900']);
    expect(m.info).toContainEqual(['repl_backlog_histlen', '1200']);
    expect(m.info).toContainEqual(['connected_slaves', '1']);
    const r = byName(views, 'replica1');
    expect(r).toMatchObject({
      role: 'replica',
      masterName: 'master',
      masterAddr: '10.0.0.1:6379',
      link: 'online',
      offset: 2000,
      backlog: null,
      replid: master.replid,
    });
  });

  it('the link a replica shows follows its state, its network and its master’s', () => {
    const { state, master, replica } = twoServers();
    replica.masterhost = '10.0.0.1';
    replica.masterport = 6379;
    const link = () => byName(buildServerViews(state), 'replica1').link;

    replica.repl_state = 'connect';
    expect(link()).toBe('connecting');
    replica.repl_down_since = 1_582_812_383;
    expect(link()).toBe('down');
    replica.repl_state = 'receive_psync_reply';
    expect(link()).toBe('handshake');
    replica.repl_state = 'transfer';
    master.slaves.push(slaveEntry({ replstate: 'wait_bgsave_end' }));
    expect(link()).toBe('wait_bgsave');
    master.slaves[0]!.replstate = 'send_bulk';
    expect(link()).toBe('receiving');
    replica.repl_state = 'connected';
    expect(link()).toBe('online');
    // Packets vanish, nobody is told: the replica's link is up as far as Redis knows.
    state.net['master'] = 'silent';
    expect(link()).toBe('online');
    state.net['replica1'] = 'stopped';
    expect(link()).toBe('online');
    state.net['replica1'] = 'up';
    state.net['master'] = 'down';
    expect(link()).toBe('down');
    state.net['master'] = 'up';
    state.net['replica1'] = 'down';
    expect(link()).toBe('down');
    expect(byName(buildServerViews(state), 'replica1').net).toBe('down');
    state.net['replica1'] = 'up';
    replica.alive = false;
    expect(link()).toBe('down');
  });

  it('with hints, a key list is rebuilt for a keyspace event or a new keyspace object', () => {
    const { lab } = runText(
      ['server master 10.0.0.1:6379', 'master SET a 1', 'master SET b 2'].join('\n'),
      { seed: 5 },
    );
    const state = lab.sim.state;
    const none = { keyspaceChanged: new Set<string>() };
    const v1 = buildServerViews(state, [], none);
    expect(v1[0]?.keys.map((k) => k.key)).toEqual(['a', 'b']);
    // The engine replaced the keyspace (a restart, a full sync): no event needed to see it.
    const master = state.servers['master']!;
    const emptied = runText('server master 10.0.0.1:6379', { seed: 5 }).lab.sim.state;
    master.keyspace = emptied.servers['master']!.keyspace;
    expect(buildServerViews(state, v1, none)[0]?.keys).toEqual([]);
    // Changed in place: the keyspace event's server is rebuilt, no other.
    const v2 = buildServerViews(state, v1);
    for (const st of parseScript('server master 10.0.0.1:6379\nmaster SET c 3').statements)
      if (st.kind === 'command') lab.apply(st);
    expect(buildServerViews(state, v2, none)[0]?.keys).toBe(v2[0]?.keys);
    const v3 = buildServerViews(state, v2, { keyspaceChanged: new Set(['master']) });
    expect(v3[0]?.keys.map((k) => k.key)).toEqual(['c']);
  });

  it('a key list shows a string as it is now, even when the engine changed its entry in place', () => {
    const { lab } = runText(
      ['server master 10.0.0.1:6379', 'master SET a 1', 'master SET b 2'].join('\n'),
      { seed: 5 },
    );
    const state = lab.sim.state;
    const v1 = buildServerViews(state);
    const dict = state.servers['master']!.keyspace.dbs[0]!.dict;
    const entryA = Object.values(dict).find((e) => e.key === 'a')!;
    (entryA.value as { v: string }).v = 'changed';
    entryA.expireAt = 99_000;
    const v2 = buildServerViews(state, v1);
    expect(v2[0]?.keys.map((k) => [k.key, k.text, k.ttl])).toEqual([
      ['a', 'changed', true],
      ['b', '2', false],
    ]);
    // The key that did not change is the same object as before.
    expect(v2[0]?.keys[1]).toBe(v1[0]?.keys[1]);
    expect(buildServerViews(state, v2)[0]?.keys).toBe(v2[0]?.keys);
    // Its TTL alone gone (PERSIST in place): the list says so.
    entryA.expireAt = null;
    const v3 = buildServerViews(state, v2);
    expect(v3[0]?.keys[0]).toEqual({
      db: 0,
      key: 'a',
      type: 'string',
      text: 'changed',
      ttl: false,
    });
  });

  it('the same state gives back the previous views themselves', () => {
    const { state } = twoServers();
    const v1 = buildServerViews(state);
    expect(buildServerViews(state, v1)).toBe(v1);
    state.servers['master']!.master_repl_offset = 14;
    const v2 = buildServerViews(state, v1);
    expect(v2).not.toBe(v1);
    expect(v2[0]).not.toBe(v1[0]);
    expect(v2[0]?.offset).toBe(14);
    // What did not change keeps its reference.
    expect(v2[1]).toBe(v1[1]);
    expect(v2[0]?.keys).toBe(v1[0]?.keys);
    expect(v2[0]?.replicas).toBe(v1[0]?.replicas);
  });
});

describe('buildServerViews on a lab run', () => {
  const SCRIPT = [
    'server master 10.0.0.1:6379',
    'server replica1 10.0.0.2:6379',
    'replica1 REPLICAOF 10.0.0.1 6379',
    'wait 5s',
    'net replica1 down',
  ].join('\n');

  it('keys as text, a write changes only the writer’s keys, a snapshot gives equal views', () => {
    const { lab } = runText(SCRIPT, { seed: 5 });
    const before = buildServerViews(lab.sim.state);
    const more = parseScript(
      [
        'server master 10.0.0.1:6379',
        'server replica1 10.0.0.2:6379',
        'master HSET h b 2 a 1',
        'master RPUSH l x y',
        'master SET t v EX 100',
        'master SET x y',
      ].join('\n'),
    ).statements.slice(2);
    for (const st of more) lab.apply(st);
    const after = buildServerViews(lab.sim.state, before);
    expect(byName(after, 'master').keys).toEqual([
      { db: 0, key: 'h', type: 'hash', text: 'a=1  b=2', ttl: false },
      { db: 0, key: 'l', type: 'list', text: 'x, y', ttl: false },
      { db: 0, key: 't', type: 'string', text: 'v', ttl: true },
      { db: 0, key: 'x', type: 'string', text: 'y', ttl: false },
    ]);
    // The replica's network is cut: it got none of them, and its key list is the same array.
    expect(byName(after, 'replica1').keys).toBe(byName(before, 'replica1').keys);
    expect(buildServerViews(lab.sim.snapshot())).toEqual(after);
  });
});

describe('buildLogs', () => {
  it('shows the last MAX_LOG lines with their index in the whole log, rebuilt only on change', () => {
    const { state, master } = twoServers();
    master.log = Array.from({ length: MAX_LOG + 50 }, (_, i) => `line ${i}`);
    const l1 = buildLogs(state);
    const lines = l1['master'] ?? [];
    expect(lines).toHaveLength(MAX_LOG);
    expect(lines[0]).toEqual({ n: 50, text: 'line 50' });
    expect(lines[MAX_LOG - 1]).toEqual({ n: MAX_LOG + 49, text: `line ${MAX_LOG + 49}` });
    expect(buildLogs(state, l1)).toBe(l1);
    // The engine caps its log: one line out, one in, same length — still a change.
    master.log.splice(0, 1);
    master.log.push('the newest line');
    const l2 = buildLogs(state, l1);
    expect(l2['master']?.[MAX_LOG - 1]?.text).toBe('the newest line');
    expect(l2['replica1']).toBe(l1['replica1']);
  });
});

describe('topologyRoot: the server drawn on the left', () => {
  const v = (name: string, masterName: string | null) => ({ name, masterName }) as ServerView;

  it('is the master most servers replicate from, directly or through a chain', () => {
    expect(
      topologyRoot([v('master', null), v('replica1', 'master'), v('replica2', 'master')]),
    ).toBe('master');
    // A failover: replica1 promoted, replica2 and the old master follow it.
    expect(
      topologyRoot([v('master', 'replica1'), v('replica1', null), v('replica2', 'replica1')]),
    ).toBe('replica1');
    // Promoted, but nobody follows it yet: the old master keeps replica2.
    expect(topologyRoot([v('master', null), v('replica1', null), v('replica2', 'master')])).toBe(
      'master',
    );
    // A chain a ← b ← c counts c for a.
    expect(topologyRoot([v('b', 'a'), v('x', null), v('a', null), v('c', 'b'), v('y', 'x')])).toBe(
      'a',
    );
  });

  it('is the first declared on a tie, and survives a cycle or a master outside the lab', () => {
    expect(topologyRoot([v('master', null), v('replica1', null)])).toBe('master');
    expect(topologyRoot([v('a', 'b'), v('b', 'a')])).toBe('a');
    expect(topologyRoot([v('a', 'elsewhere'), v('b', 'a')])).toBe('a');
    expect(topologyRoot([])).toBeNull();
  });
});

describe('shareSorted', () => {
  const kv = (
    db: number,
    key: string,
    text = 'v',
    type: KeyView['type'] = 'string',
    ttl = false,
  ): KeyView => ({ db, key, type, text, ttl });

  it('keeps each unchanged key view when new keys land between the old ones', () => {
    // key:1, key:10, key:2 is the key order (byte order, as Redis's keys sort in our dump).
    const old = [kv(0, 'key:1'), kv(0, 'key:2'), kv(1, 'a')];
    const fresh = [kv(0, 'key:1'), kv(0, 'key:10'), kv(0, 'key:2', 'w'), kv(1, 'a')];
    const got = shareSorted(old, fresh.slice());
    expect(got).toEqual(fresh);
    expect(got[0]).toBe(old[0]);
    expect(got[1]).toBe(fresh[1]);
    expect(got[2]).not.toBe(old[1]); // its value changed
    expect(got[3]).toBe(old[2]);
    expect(
      shareSorted(
        old,
        old.map((k) => ({ ...k })),
      ),
    ).toBe(old);
  });

  it('agrees with a search by identity on 300 random key lists', () => {
    let seed = 99;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const order = (a: KeyView, b: KeyView) =>
      a.db - b.db || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    const list = () => {
      const m = new Map<string, KeyView>();
      for (let i = rnd(30); i > 0; i--) {
        const k = kv(rnd(3), `k${rnd(25)}`, `v${rnd(3)}`, rnd(2) ? 'string' : 'list', !rnd(3));
        m.set(`${k.db}:${k.key}`, k);
      }
      return [...m.values()].sort(order);
    };
    for (let run = 0; run < 300; run++) {
      const old = list();
      const fresh = list();
      const got = shareSorted(old, fresh.slice());
      expect(got).toEqual(fresh);
      got.forEach((k, i) => {
        const o = old.find((x) => x.db === k.db && x.key === k.key);
        const equal = o !== undefined && o.text === k.text && o.type === k.type && o.ttl === k.ttl;
        expect(k === o, `${k.db}:${k.key}`).toBe(equal);
        if (!equal) expect(k).toBe(fresh[i]);
      });
      const same = old.length === fresh.length && got.every((k, i) => k === old[i]);
      expect(got === old).toBe(same);
    }
  });
});
