/**
 * Every tolerance of the conformance comparator, at its edge: a value just inside the rule is
 * accepted, a value just outside is reported. A rule that is looser than written here would hide
 * a real disagreement between the engine and redis-server.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/engine/reply';
import type { RunObservation } from '../../src/lab/observation';
import { parseScript } from '../../src/lab/script';
import { compareRuns, type CompareContext } from './compare';
import { AddressMap } from './real';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const Z = '0'.repeat(40);
const ctx: CompareContext = {
  servers: [
    { name: 'master', host: '127.0.0.1', port: 6379 },
    { name: 'replica1', host: '127.0.0.1', port: 6380 },
  ],
};

type Fields = Array<[string, string]>;

/** One observation point: INFO replication of `server`, these fields. */
const at = (fields: Fields, server = 'replica1'): RunObservation => ({
  steps: [{ index: 0, text: 'wait 1s', info: { [server]: fields } }],
  logs: {},
});

/** A replica's INFO replication with one field set to a value. */
function replicaInfo(field: string, value: string, id = A): Fields {
  const f: Fields = [
    ['role', 'slave'],
    ['master_host', '127.0.0.1'],
    ['master_port', '6379'],
    ['master_link_status', 'up'],
    ['master_last_io_seconds_ago', '1'],
    ['master_sync_in_progress', '0'],
    ['master_replid', id],
    ['master_repl_offset', '100'],
  ];
  const i = f.findIndex(([k]) => k === field);
  if (i >= 0) f[i] = [field, value];
  else f.splice(6, 0, [field, value]);
  return f;
}

/** The comparison of one field of a replica's INFO, engine value vs real value. */
const infoField = (field: string, e: string, r: string, c: CompareContext = ctx) =>
  compareRuns(at(replicaInfo(field, e)), at(replicaInfo(field, r, B)), c);

/** A master's INFO with these slaveN values, master_repl_offset 100 on both sides. */
function masterInfo(slaves: string[], offset = '100', id = A): Fields {
  return [
    ['role', 'master'],
    ['connected_slaves', String(slaves.length)],
    ...slaves.map((v, i): [string, string] => [`slave${i}`, v]),
    ['master_replid', id],
    ['master_replid2', Z],
    ['master_repl_offset', offset],
  ];
}
const slaves = (e: string[], r: string[], eOff = '100', rOff = '100') =>
  compareRuns(at(masterInfo(e, eOff), 'master'), at(masterInfo(r, rOff, B), 'master'), ctx);
const slave = (port: number, state: string, offset: number, lag: number): string =>
  `ip=127.0.0.1,port=${port},state=${state},offset=${offset},lag=${lag}`;

describe('INFO: master_last_io_seconds_ago', () => {
  it('both -1 agree; -1 against 0 is reported', () => {
    expect(infoField('master_last_io_seconds_ago', '-1', '-1')).toBeNull();
    expect(infoField('master_last_io_seconds_ago', '-1', '0')?.field).toBe(
      'INFO replica1 master_last_io_seconds_ago',
    );
  });
  it('both within repl-ping-replica-period + 1 (10 + 1): 0 and 11 agree, 0 and 12 do not', () => {
    expect(infoField('master_last_io_seconds_ago', '0', '11')).toBeNull();
    expect(infoField('master_last_io_seconds_ago', '11', '0')).toBeNull();
    const d = infoField('master_last_io_seconds_ago', '0', '12');
    expect(d?.engine).toBe('0');
    expect(d?.real).toBe('12');
  });
  it('beyond the period, within 2 s of each other: 20 and 22 agree, 20 and 23 do not', () => {
    expect(infoField('master_last_io_seconds_ago', '20', '22')).toBeNull();
    expect(infoField('master_last_io_seconds_ago', '23', '20')?.real).toBe('20');
  });
  it('the period given in the context: 30 + 1 = 31 agrees with 0, 32 does not', () => {
    const c = { ...ctx, pingPeriod: 30 };
    expect(infoField('master_last_io_seconds_ago', '0', '31', c)).toBeNull();
    expect(infoField('master_last_io_seconds_ago', '0', '32', c)).not.toBeNull();
  });
  it('the period the script CONFIG SETs (either name), else 10', () => {
    const script = (line: string): CompareContext => ({
      ...ctx,
      script: parseScript(`server master\nserver replica1\n${line}`),
    });
    const setNew = script('replica1 CONFIG SET repl-ping-replica-period 30');
    const setOld = script('master config set repl-ping-slave-period 30');
    expect(infoField('master_last_io_seconds_ago', '0', '31', setNew)).toBeNull();
    expect(infoField('master_last_io_seconds_ago', '0', '31', setOld)).toBeNull();
    expect(infoField('master_last_io_seconds_ago', '0', '32', setNew)).not.toBeNull();
    // A smaller period does not tighten the rule below the default 10.
    const setSmall = script('replica1 CONFIG SET repl-ping-replica-period 1');
    expect(infoField('master_last_io_seconds_ago', '0', '11', setSmall)).toBeNull();
    expect(infoField('master_last_io_seconds_ago', '0', '12', setSmall)).not.toBeNull();
  });
});

describe('INFO: master_link_down_since_seconds and master_sync_last_io_seconds_ago', () => {
  it('link down since: both -1 agree, -1 against 0 is reported', () => {
    expect(infoField('master_link_down_since_seconds', '-1', '-1')).toBeNull();
    expect(infoField('master_link_down_since_seconds', '0', '-1')).not.toBeNull();
  });
  it('link down since: within 2 s agree (5, 7), 3 s apart do not (5, 8)', () => {
    expect(infoField('master_link_down_since_seconds', '5', '7')).toBeNull();
    expect(infoField('master_link_down_since_seconds', '7', '5')).toBeNull();
    expect(infoField('master_link_down_since_seconds', '5', '8')?.real).toBe('8');
  });
  it('sync last io: within 2 s agree (1, 3), 3 s apart do not (0, 3); -1 never agrees', () => {
    expect(infoField('master_sync_last_io_seconds_ago', '1', '3')).toBeNull();
    expect(infoField('master_sync_last_io_seconds_ago', '0', '3')).not.toBeNull();
    expect(infoField('master_sync_last_io_seconds_ago', '-1', '-1')).not.toBeNull();
  });
});

describe('INFO: every other field is exact', () => {
  it('offsets, histlen, first byte, link status, ports: one apart is reported', () => {
    for (const [f, e, r] of [
      ['master_repl_offset', '100', '101'],
      ['repl_backlog_histlen', '20993', '20992'],
      ['repl_backlog_first_byte_offset', '40881', '40882'],
      ['second_repl_offset', '55', '-1'],
      ['master_link_status', 'up', 'down'],
      ['master_port', '6379', '6380'],
      ['slave_repl_offset', '100', '99'],
    ] as const) {
      const d = infoField(f, e, r);
      expect(d?.field, f).toBe(`INFO replica1 ${f}`);
      expect(infoField(f, e, e), f).toBeNull();
    }
  });
  it('the same fields in the same order: a missing or extra field is reported', () => {
    const fields = replicaInfo('master_link_status', 'up');
    const fewer = fields.filter(([k]) => k !== 'master_sync_in_progress');
    expect(compareRuns(at(fields), at(fewer), ctx)?.field).toBe('INFO replica1 field #5');
    const swapped = [...fields];
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    expect(compareRuns(at(fields), at(swapped), ctx)).not.toBeNull();
  });
});

describe('INFO: slaveN lines', () => {
  it('offset: equal agrees, even past master_repl_offset', () => {
    expect(slaves([slave(6380, 'online', 150, 0)], [slave(6380, 'online', 150, 0)])).toBeNull();
  });
  it('offset: both within 0..their own master_repl_offset agree (the ACK may lag)', () => {
    expect(slaves([slave(6380, 'online', 100, 0)], [slave(6380, 'online', 0, 0)])).toBeNull();
    expect(
      slaves([slave(6380, 'online', 90, 0)], [slave(6380, 'online', 60, 0)], '100', '60'),
    ).not.toBeNull(); // (master_repl_offset itself differs, and is exact)
  });
  it('offset: one past its own master_repl_offset, on either side, is reported', () => {
    const d = slaves([slave(6380, 'online', 101, 0)], [slave(6380, 'online', 100, 0)]);
    expect(d?.field).toBe('INFO master slave0');
    expect(slaves([slave(6380, 'online', 99, 0)], [slave(6380, 'online', 101, 0)])).not.toBeNull();
  });
  it('lag: within 1 s agrees (0, 1), 2 s apart does not', () => {
    expect(slaves([slave(6380, 'online', 100, 0)], [slave(6380, 'online', 100, 1)])).toBeNull();
    expect(slaves([slave(6380, 'online', 100, 2)], [slave(6380, 'online', 100, 1)])).toBeNull();
    expect(slaves([slave(6380, 'online', 100, 0)], [slave(6380, 'online', 100, 2)])).not.toBeNull();
  });
  it('ip, port and state are exact', () => {
    const base = slave(6380, 'online', 100, 0);
    expect(slaves([base], [slave(6381, 'online', 100, 0)])).not.toBeNull();
    expect(slaves([base], [slave(6380, 'wait_bgsave', 100, 0)])).not.toBeNull();
    expect(slaves([base], [base.replace('127.0.0.1', '127.0.0.2')])).not.toBeNull();
    expect(slaves([base], [`${base},extra=1`])).not.toBeNull();
  });
  it('order: sorted by address, so each line still meets its own replica', () => {
    const r1 = slave(6380, 'online', 100, 0);
    const r2 = slave(6381, 'wait_bgsave', 0, 0);
    expect(slaves([r1, r2], [r2, r1])).toBeNull();
    // The states attached to the wrong replicas: a difference, whatever the order.
    const r1w = slave(6380, 'wait_bgsave', 0, 0);
    const r2o = slave(6381, 'online', 100, 0);
    expect(slaves([r1, r2], [r2o, r1w])).not.toBeNull();
    expect(slaves([r1, r2], [r1w, r2o])).not.toBeNull();
  });
});

describe('replication IDs are compared by role', () => {
  const twoSteps = (e: [string, string], r: [string, string]): RunObservation[] => [
    {
      steps: [
        { index: 0, text: 'wait 1s', info: { master: masterInfo([], '100', e[0]) } },
        { index: 1, text: 'wait 1s', info: { master: masterInfo([], '100', e[1]) } },
      ],
      logs: {},
    },
    {
      steps: [
        { index: 0, text: 'wait 1s', info: { master: masterInfo([], '100', r[0]) } },
        { index: 1, text: 'wait 1s', info: { master: masterInfo([], '100', r[1]) } },
      ],
      logs: {},
    },
  ];
  it('a consistent renaming agrees: A→B then C→A', () => {
    const [e, r] = twoSteps([A, C], [B, A]);
    expect(compareRuns(e!, r!, ctx)).toBeNull();
  });
  it('one engine id for two real ids is reported, and two engine ids for one real id', () => {
    const [e1, r1] = twoSteps([A, A], [B, C]);
    expect(compareRuns(e1!, r1!, ctx)?.field).toBe('INFO master master_replid');
    const [e2, r2] = twoSteps([A, C], [B, B]);
    expect(compareRuns(e2!, r2!, ctx)?.field).toBe('INFO master master_replid');
  });
  it('the all-zeros id only maps to itself', () => {
    const z = (e: string, r: string) =>
      compareRuns(
        at(
          masterInfo([], '100', A).map(([k, v]) => [k, k === 'master_replid2' ? e : v]),
          'master',
        ),
        at(
          masterInfo([], '100', B).map(([k, v]) => [k, k === 'master_replid2' ? r : v]),
          'master',
        ),
        ctx,
      );
    expect(z(Z, Z)).toBeNull();
    expect(z(Z, C)?.field).toBe('INFO master master_replid2');
    expect(z(C, Z)?.field).toBe('INFO master master_replid2');
  });
  it('ids inside a text are paired in order; the rest of the text is exact', () => {
    const line = (id: string, off: number): string =>
      `4437:M 27 Feb 2020 14:06:30.101 * Full resync from master: ${id}:${off}`;
    const obs = (l: string): RunObservation => ({ steps: [], logs: { replica1: [l] } });
    expect(compareRuns(obs(line(A, 0)), obs(line(B, 0)), ctx)).toBeNull();
    expect(compareRuns(obs(line(A, 0)), obs(line(B, 1)), ctx)).not.toBeNull();
  });
});

describe('ROLE', () => {
  const role = (offset: number, ack: string, port = '6380'): Reply => ({
    t: 'array',
    v: [
      { t: 'bulk', v: 'master' },
      { t: 'int', v: offset },
      {
        t: 'array',
        v: [
          {
            t: 'array',
            v: [
              { t: 'bulk', v: '127.0.0.1' },
              { t: 'bulk', v: port },
              { t: 'bulk', v: ack },
            ],
          },
        ],
      },
    ],
  });
  const cmp = (e: Reply, r: Reply) =>
    compareRuns(
      { steps: [{ index: 0, text: 'wait 1s', role: { master: e } }], logs: {} },
      { steps: [{ index: 0, text: 'wait 1s', role: { master: r } }], logs: {} },
      ctx,
    );
  it('a replica’s ack offset: both within 0..the master offset agree', () => {
    expect(cmp(role(100, '100'), role(100, '0'))).toBeNull();
    expect(cmp(role(100, '37'), role(100, '100'))).toBeNull();
  });
  it('an ack offset one past the master offset is reported; so is a different master offset', () => {
    expect(cmp(role(100, '101'), role(100, '100'))?.field).toBe(
      'ROLE master replica #0 ack offset',
    );
    expect(cmp(role(100, '100'), role(101, '100'))).not.toBeNull();
  });
  it('the replica’s address is exact', () => {
    expect(cmp(role(100, '100'), role(100, '100', '6381'))?.field).toContain(
      'ROLE master replica #0 address',
    );
  });
});

describe('command replies', () => {
  const bulks = (...v: string[]): Reply => ({ t: 'array', v: v.map((x) => ({ t: 'bulk', v: x })) });
  /**
   * The last command's reply; the script gives the command's name (and a MULTI's queue). The
   * commands before it reply +OK / +QUEUED alike on both sides, as every statement is a step.
   */
  function reply(lines: string, e: Reply, r: Reply) {
    const script = parseScript(`server master\n${lines}`);
    const last = script.statements.length - 1;
    const obs = (x: Reply): RunObservation => ({
      steps: script.statements.map((st, index) =>
        index === last
          ? { index, text: 'cmd', reply: x }
          : st.kind !== 'command'
            ? { index, text: st.kind }
            : { index, text: 'cmd', reply: { t: 'status', v: index === 1 ? 'OK' : 'QUEUED' } },
      ),
      logs: {},
    });
    return compareRuns(obs(e), obs(r), { ...ctx, script });
  }
  it('KEYS and SMEMBERS are multisets: another order agrees, another element does not', () => {
    expect(reply('master KEYS *', bulks('a', 'b', 'c'), bulks('c', 'a', 'b'))).toBeNull();
    expect(reply('master SMEMBERS s', bulks('a', 'b'), bulks('b', 'a'))).toBeNull();
    expect(reply('master KEYS *', bulks('a', 'b'), bulks('a', 'c'))).not.toBeNull();
    // A multiset, not a set: how many times each element comes counts.
    expect(reply('master SMEMBERS s', bulks('a', 'a', 'b'), bulks('a', 'b', 'b'))).not.toBeNull();
  });
  it('HKEYS and HVALS are multisets (a hash table has no order)', () => {
    expect(reply('master HKEYS h', bulks('f', 'g'), bulks('g', 'f'))).toBeNull();
    expect(reply('master HVALS h', bulks('1', '2'), bulks('1', '3'))).not.toBeNull();
  });
  it('stream IDs from the clock agree as IDs; explicit ones compare exactly', () => {
    const b = (v: string): Reply => ({ t: 'bulk', v });
    expect(reply('master XADD s * f v', b('1582812383001-0'), b('1795964703172-1'))).toBeNull();
    expect(reply('master XADD s 5-1 f v', b('5-1'), b('5-2'))).not.toBeNull();
    expect(reply('master GET k', b('1582812383001-0'), b('1795964703172'))).not.toBeNull();
  });
  it('LRANGE (and every other array) keeps its order', () => {
    expect(reply('master LRANGE l 0 -1', bulks('a', 'b'), bulks('b', 'a'))).not.toBeNull();
  });
  it('HGETALL is a set of field-value pairs: pairs reordered agree, values swapped do not', () => {
    const e = bulks('f', '1', 'g', '2');
    expect(reply('master HGETALL h', e, bulks('g', '2', 'f', '1'))).toBeNull();
    expect(reply('master HGETALL h', e, bulks('f', '2', 'g', '1'))).not.toBeNull();
  });
  it('inside EXEC, each queued command keeps its own rule', () => {
    const exec = (...v: Reply[]): Reply => ({ t: 'array', v });
    const lines = 'master MULTI\nmaster SMEMBERS s\nmaster LRANGE l 0 -1\nmaster EXEC';
    const e = exec(bulks('a', 'b'), bulks('x', 'y'));
    expect(reply(lines, e, exec(bulks('b', 'a'), bulks('x', 'y')))).toBeNull();
    expect(reply(lines, e, exec(bulks('a', 'b'), bulks('y', 'x')))).not.toBeNull();
  });
  it('INFO replies: other sections only compare sync_*, expired_keys and dbN, exactly', () => {
    const text = (uptime: number, full: number, db0: string, expired = 0): Reply => ({
      t: 'bulk',
      v: [
        '# Server',
        `uptime_in_seconds:${uptime}`,
        '',
        '# Stats',
        `sync_full:${full}`,
        `expired_keys:${expired}`,
        '',
        '# Keyspace',
        `db0:${db0}`,
        '',
      ].join('\r\n'),
    });
    const db = 'keys=1,expires=0,avg_ttl=0';
    expect(reply('master INFO', text(5, 1, db), text(9, 1, db))).toBeNull();
    expect(reply('master INFO', text(5, 1, db), text(5, 2, db))).not.toBeNull();
    expect(reply('master INFO', text(5, 1, db), text(5, 1, db, 1))).not.toBeNull();
    expect(
      reply('master INFO', text(5, 1, db), text(5, 1, 'keys=2,expires=0,avg_ttl=0')),
    ).not.toBeNull();
  });
  it('plain replies are exact', () => {
    expect(reply('master INCR n', { t: 'int', v: 2 }, { t: 'int', v: 3 })).not.toBeNull();
    expect(reply('master GET k', { t: 'bulk', v: 'x' }, { t: 'bulk', v: null })).not.toBeNull();
    expect(
      reply('master SET k v', { t: 'status', v: 'OK' }, { t: 'error', v: 'ERR' }),
    ).not.toBeNull();
  });
});

describe('logs', () => {
  const obs = (...lines: string[]): RunObservation => ({ steps: [], logs: { master: lines } });
  const cmp = (e: string[], r: string[]) => compareRuns(obs(...e), obs(...r), ctx);
  const line = (msg: string, role = 'M', level = '*', pid = 4437, time = '14:06:30.101') =>
    `${pid}:${role} 27 Feb 2020 ${time} ${level} ${msg}`;
  const sending = (n: number) =>
    `Partial resynchronization request from 127.0.0.1:6380 accepted. Sending ${n} bytes of backlog starting from offset 480.`;

  it('pid and time are not compared; role and level characters are', () => {
    expect(cmp([line(sending(93))], [line(sending(93), 'M', '*', 999, '23:59:59.999')])).toBeNull();
    expect(cmp([line(sending(93))], [line(sending(93), 'S')])).not.toBeNull();
    expect(cmp([line(sending(93))], [line(sending(93), 'M', '#')])).not.toBeNull();
  });
  it('numbers in messages are exact (bytes, offsets, RDB sizes)', () => {
    expect(cmp([line(sending(93))], [line(sending(94))])?.field).toBe(
      'log master, replication line #1',
    );
    const rdb = (n: number) => line(`MASTER <-> REPLICA sync: receiving ${n} bytes from master`);
    expect(cmp([rdb(172)], [rdb(173)])).not.toBeNull();
  });
  it('except pids of children and the client info after "user request from"', () => {
    const bg = (pid: number) => line(`Background saving started by pid ${pid}`);
    expect(cmp([bg(4500)], [bg(12345)])).toBeNull();
    const mm = (info: string) => line(`MASTER MODE enabled (user request from '${info}')`);
    expect(cmp([mm('id=3 addr=10.0.0.1:1 cmd=replicaof')], [mm('id=9 addr=x')])).toBeNull();
    // …but not the text before it.
    const ro = (host: string) => line(`REPLICAOF ${host} enabled (user request from 'id=3')`);
    expect(cmp([ro('127.0.0.1:6379')], [ro('127.0.0.1:6381')])).not.toBeNull();
  });
  it('a reset replica is named by client id: the id is not compared, the form is', () => {
    const lost = (who: string) => line(`Connection with replica ${who} lost.`, 'M', '#');
    expect(cmp([lost('client id #5')], [lost('client id #17')])).toBeNull();
    expect(cmp([lost('client id #5')], [lost('127.0.0.1:6380')])).not.toBeNull();
  });
  it('output-buffer-limit lines: process-dependent client fields are not compared, the rest is', () => {
    // Both lines as 7.0.15 writes them (real: a run of corpus/resync-loop).
    const client = (id: number, port: number, fd: number, o: Record<string, string> = {}) => {
      const f = {
        age: '1',
        idle: '1',
        'qbuf-free': '20474',
        rbs: '1024',
        rbp: '0',
        oll: '3',
        omem: '61512',
        'tot-mem': '83784',
        cmd: 'psync',
        ...o,
      };
      return `id=${id} addr=127.0.0.1:${port} laddr=127.0.0.1:6379 fd=${fd} name= age=${f.age} idle=${f.idle} flags=S db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=${f['qbuf-free']} argv-mem=0 multi-mem=0 rbs=${f.rbs} rbp=${f.rbp} obl=0 oll=${f.oll} omem=${f.omem} tot-mem=${f['tot-mem']} events=r cmd=${f.cmd} user=default redir=-1 resp=2`;
    };
    const asap = (c: string) =>
      line(`Client ${c} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    const now = (c: string) => line(`Client ${c} closed for overcoming of output buffer limits.`);
    const other = { 'qbuf-free': '0', rbs: '16384', rbp: '5', 'tot-mem': '98000' };
    expect(cmp([asap(client(3, 40687, 9))], [asap(client(5, 52414, 10, other))])).toBeNull();
    expect(cmp([now(client(4, 1, 9))], [now(client(6, 2, 9))])).toBeNull();
    const diffs: Array<Record<string, string>> = [
      { omem: '61513' },
      { oll: '2' },
      { age: '2' },
      { idle: '0' },
      { cmd: 'x' },
    ];
    for (const diff of diffs)
      expect(
        cmp([asap(client(3, 1, 9))], [asap(client(3, 1, 9, diff))]),
        JSON.stringify(diff),
      ).not.toBeNull();
    // The two ways of closing are two different lines.
    expect(cmp([asap(client(3, 1, 9))], [now(client(3, 1, 9))])).not.toBeNull();
  });
  it('only replication lines count: others may differ, a missing replication line may not', () => {
    const extra = [
      line('DB saved on disk', 'C'),
      line('Ready to accept connections'),
      line('RDB age 0 seconds'),
    ];
    expect(cmp([line(sending(93))], [...extra, line(sending(93))])).toBeNull();
    expect(cmp([line(sending(93))], [line(sending(93)), line(sending(0))])?.engine).toBe(
      '(no more lines)',
    );
  });
});

describe('addresses: real loopback ports become the declared addresses', () => {
  const map = (): AddressMap => {
    const m = new AddressMap();
    m.add(21000, { name: 'master', host: '192.168.157.144', port: 6379 });
    return m;
  };
  it('maps a mapped loopback port, in free text, slaveN lines and master_host/master_port', () => {
    const m = map();
    expect(m.text('Replica 127.0.0.1:21000 asks')).toBe('Replica 192.168.157.144:6379 asks');
    expect(m.text('ip=127.0.0.1,port=21000,state=online')).toBe(
      'ip=192.168.157.144,port=6379,state=online',
    );
    expect(
      m.info([
        ['master_host', '127.0.0.1'],
        ['master_port', '21000'],
      ]),
    ).toEqual([
      ['master_host', '192.168.157.144'],
      ['master_port', '6379'],
    ]);
  });
  it('leaves an unmapped port, a longer number and another host alone', () => {
    const m = map();
    expect(m.text('Replica 127.0.0.1:21001 asks')).toBe('Replica 127.0.0.1:21001 asks');
    expect(m.text('Replica 127.0.0.1:210001 asks')).toBe('Replica 127.0.0.1:210001 asks');
    expect(m.text('Replica 10.0.0.1:21000 asks')).toBe('Replica 10.0.0.1:21000 asks');
    const elsewhere: Array<[string, string]> = [
      ['master_host', '10.0.0.1'],
      ['master_port', '21000'],
    ];
    expect(m.info(elsewhere)).toEqual(elsewhere);
  });
});
