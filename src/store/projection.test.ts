/**
 * The event half of the views, on hand-written engine events: no engine, no zustand. Expected
 * values are worked out by hand from the events.
 */
import { describe, expect, it } from 'vitest';
import type { PsyncCheck, SimEvent } from '../engine/events';
import type { ReplState } from '../engine/types';
import { DROP_FADE_MS, MAX_MESSAGES_PER_CHANNEL, RATE_WINDOW_MS } from './constants';
import { channelMessages } from './selectors';
import {
  applyEvent,
  arrivesBetween,
  EMPTY_EVENT_VIEW,
  foldEvents,
  isMilestone,
  settleEvents,
  waitingSentBy,
  type EventView,
} from './projection';

type Message = Extract<SimEvent, { type: 'message' }>;

function msg(id: number, over: Partial<Message> = {}): Message {
  return {
    type: 'message',
    id,
    conn: 1,
    from: 'master',
    to: 'replica1',
    kind: 'STREAM',
    label: 'SET a 1',
    bytes: 29,
    sendAt: 1000,
    finishAt: 1029,
    arriveAt: 1429,
    ...over,
  };
}

/** The first `k` events folded up to `mid`, then the rest up to `now`. */
function foldInTwo(events: readonly SimEvent[], k: number, mid: number, now: number): EventView {
  return foldEvents(foldEvents(EMPTY_EVENT_VIEW, events.slice(0, k), mid), events.slice(k), now);
}

const RANGE_FAIL: PsyncCheck = {
  id: 'range',
  ok: false,
  reason: { k: 'before-backlog', offset: 50, first: 900 },
  detail: 'Offset 50 fell out of the backlog, which starts at 900.',
};

const PSYNC: Extract<SimEvent, { type: 'psync' }> = {
  type: 'psync',
  master: 'master',
  replica: 'replica1',
  replid: 'a'.repeat(40),
  offset: 50,
  checks: [RANGE_FAIL],
  result: 'fullresync',
  reply: '+FULLRESYNC',
  bytes: 0,
  backlog: { offset: 900, histlen: 1200 },
  master_repl_offset: 2099,
  at: 3000,
};

function deepFreeze<T>(v: T): T {
  if (v instanceof Map) {
    // Object.freeze does not stop a Map's own methods: they throw instead.
    for (const x of v.values()) deepFreeze(x);
    const frozen = () => {
      throw new TypeError('a frozen Map was changed');
    };
    Object.assign(v, { set: frozen, delete: frozen, clear: frozen });
  } else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) deepFreeze(x);
  if (typeof v === 'object' && v !== null) Object.freeze(v);
  return v;
}

describe('applyEvent', () => {
  it('puts a message on the wire, its last byte out at the engine’s finishAt', () => {
    const e = msg(7, {
      commands: [
        { off: 1, argv: ['SELECT', '0'] },
        { off: 24, argv: ['SET', 'a', '1'] },
      ],
    });
    const v = applyEvent(EMPTY_EVENT_VIEW, e);
    expect(v.messages).toEqual([
      {
        id: 7,
        from: 'master',
        to: 'replica1',
        kind: 'STREAM',
        label: 'SET a 1',
        bytes: 29,
        sendAt: 1000,
        sentAt: 1029,
        arriveAt: 1429,
        droppedAt: null,
        resp: '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n',
        conn: 1,
        startAt: 1000,
        commands: [
          { off: 1, argv: ['SELECT', '0'] },
          { off: 24, argv: ['SET', 'a', '1'] },
        ],
        backlogSlice: null,
      },
    ]);
    expect(applyEvent(EMPTY_EVENT_VIEW, msg(8)).messages[0]?.resp).toBeNull();
  });

  it('a message queued behind another on its connection leaves when that one’s last byte has', () => {
    // 1 KB/s: +CONTINUE (52 B) leaves 1000…1051, the backlog slice (183 B) is sent at 1000 too
    // and waits; a message on another connection, or the other way, does not wait for them.
    let v = applyEvent(EMPTY_EVENT_VIEW, msg(1, { kind: 'CONTINUE', bytes: 52, finishAt: 1051 }));
    v = applyEvent(v, msg(2, { bytes: 183, finishAt: 1230, arriveAt: 1630 }));
    v = applyEvent(v, msg(3, { conn: 2, finishAt: 1029 }));
    v = applyEvent(v, msg(4, { from: 'replica1', to: 'master', kind: 'ACK', finishAt: 1029 }));
    expect(v.messages.map((m) => [m.id, m.startAt])).toEqual([
      [1, 1000],
      [2, 1051],
      [3, 1000],
      [4, 1000],
    ]);
    // Sent after the others' last bytes left: it waits for nothing.
    const later = foldEvents(v, [msg(5, { sendAt: 1500, finishAt: 1529, arriveAt: 1929 })], 1500);
    expect(later.messages.find((m) => m.id === 5)?.startAt).toBe(1500);
  });

  it('marks the stream message that carries a +CONTINUE’s backlog slice', () => {
    const decision: SimEvent = {
      ...PSYNC,
      offset: 97,
      result: 'continue',
      reply: '+CONTINUE x',
      bytes: 183,
      checks: [],
      at: 1000,
    };
    const slice = msg(2, { commands: [{ off: 97, argv: ['SELECT', '0'] }], bytes: 183 });
    let v = applyEvent(EMPTY_EVENT_VIEW, msg(1, { kind: 'CONTINUE', label: '+CONTINUE x' }));
    v = applyEvent(applyEvent(v, decision), slice);
    expect(v.messages[1]?.backlogSlice).toEqual({ offset: 97, bytes: 183 });
    // A later write to the same replica is just stream.
    const next = msg(3, { sendAt: 1200, commands: [{ off: 280, argv: ['SET', 'a', '1'] }] });
    expect(applyEvent(v, next).messages[2]?.backlogSlice).toBeNull();
    // A full resync's stream is no backlog slice either.
    const full = applyEvent(applyEvent(EMPTY_EVENT_VIEW, { ...PSYNC, at: 1000 }), slice);
    expect(full.messages[0]?.backlogSlice).toBeNull();
  });

  it('marks a dropped message, once', () => {
    const v1 = applyEvent(applyEvent(EMPTY_EVENT_VIEW, msg(1)), msg(2));
    const v2 = applyEvent(v1, { type: 'dropped', id: 2, at: 1200 });
    expect(v2.messages.map((m) => m.droppedAt)).toEqual([null, 1200]);
    expect(v2.messages[0]).toBe(v1.messages[0]);
    expect(applyEvent(v2, { type: 'dropped', id: 2, at: 1300 })).toBe(v2);
    expect(applyEvent(v2, { type: 'dropped', id: 99, at: 1300 })).toBe(v2);
  });

  it('keeps the PSYNC decision as the engine made it, and the late +FULLRESYNC line', () => {
    const v1 = applyEvent(EMPTY_EVENT_VIEW, PSYNC);
    const { type: _t, ...decision } = PSYNC;
    expect(v1.psync).toEqual({ replica1: { ...decision, firstSync: false, endedAt: null } });
    expect(v1.lastPsync).toBe(v1.psync['replica1']);
    const line = `+FULLRESYNC ${'a'.repeat(40)} 2099`;
    const v2 = applyEvent(v1, msg(3, { kind: 'FULLRESYNC', label: line }));
    expect(v2.psync['replica1']?.reply).toBe(line);
    expect(v2.lastPsync).toBe(v2.psync['replica1']);
    expect(v2.psync['replica1']?.backlog).toEqual({ offset: 900, histlen: 1200 });
  });

  describe('a first synchronisation', () => {
    const OWN = 'b'.repeat(40);
    const M1 = 'c'.repeat(40);
    const mismatch = (replid: string): Extract<SimEvent, { type: 'psync' }> => ({
      ...PSYNC,
      replid,
      offset: 1,
      checks: [
        {
          id: 'replid',
          ok: false,
          reason: { k: 'replid-mismatch', replid, id1: M1, id2: '0'.repeat(40) },
          detail: '',
        },
      ],
    });
    const synced: SimEvent = {
      type: 'resynced',
      master: 'master',
      replica: 'replica1',
      kind: 'full',
      bytes: 200,
      startedAt: 3000,
      at: 4000,
    };

    it('is a failed ID check of a replica that never synced with this master, asking with its own ID', () => {
      expect(applyEvent(EMPTY_EVENT_VIEW, mismatch(OWN)).psync['replica1']?.firstSync).toBe(true);
      const none = mismatch('?');
      const noId = {
        ...none,
        checks: [{ ...none.checks[0]!, reason: { k: 'no-replid' as const } }],
      };
      expect(applyEvent(EMPTY_EVENT_VIEW, noId).psync['replica1']?.firstSync).toBe(true);
      // A failed range check is no first sync.
      expect(applyEvent(EMPTY_EVENT_VIEW, PSYNC).psync['replica1']?.firstSync).toBe(false);
    });

    it('is not one once it synced with this master, or when it asks with an ID a master announced', () => {
      const after = foldEvents(EMPTY_EVENT_VIEW, [mismatch(OWN), synced], 4000);
      expect(after.synced).toEqual({ replica1: ['master'] });
      expect(after.masterIds).toEqual([M1]);
      expect(applyEvent(after, mismatch(OWN)).psync['replica1']?.firstSync).toBe(false);
      // Another replica asking with the master's previous ID (announced in a +FULLRESYNC).
      const old = 'd'.repeat(40);
      const told = applyEvent(
        EMPTY_EVENT_VIEW,
        msg(4, { kind: 'FULLRESYNC', to: 'replica2', label: `+FULLRESYNC ${old} 0` }),
      );
      expect(told.masterIds).toEqual([old]);
      const d = applyEvent(told, mismatch(old)).psync['replica1'];
      expect(d?.firstSync).toBe(false);
    });
  });

  describe('a decision belongs to one connection', () => {
    const rs = (after: ReplState, at: number): SimEvent => ({
      type: 'replState',
      server: 'replica1',
      before: 'connected',
      after,
      at,
    });

    it('is marked ended when the replica’s link goes down or the master drops it', () => {
      const v1 = applyEvent(EMPTY_EVENT_VIEW, PSYNC);
      expect(applyEvent(v1, rs('connect', 2000))).toBe(v1); // before the decision
      expect(applyEvent(v1, rs('connected', 5000))).toBe(v1);
      const v2 = applyEvent(v1, rs('connect', 5000));
      expect(v2.psync['replica1']?.endedAt).toBe(5000);
      expect(v2.lastPsync).toBe(v2.psync['replica1']);
      expect(applyEvent(v2, rs('connect', 6000))).toBe(v2); // ended once
      const gone = applyEvent(v1, {
        type: 'slaveState',
        master: 'master',
        replica: 'replica1',
        state: 'gone',
        at: 7000,
      });
      expect(gone.psync['replica1']?.endedAt).toBe(7000);
      // The next PSYNC is a new, current decision.
      expect(applyEvent(v2, { ...PSYNC, at: 9000 }).psync['replica1']?.endedAt).toBeNull();
    });

    it('is gone with a removed replica; the last decision falls back to another replica’s', () => {
      const v = foldEvents(
        EMPTY_EVENT_VIEW,
        [
          { ...PSYNC, replica: 'replica2', at: 1000 },
          PSYNC,
          {
            type: 'resynced',
            master: 'master',
            replica: 'replica1',
            kind: 'full',
            bytes: 1,
            startedAt: 3000,
            at: 3500,
          },
        ],
        3500,
      );
      expect(v.lastPsync?.replica).toBe('replica1');
      const gone = applyEvent(v, { type: 'removed', server: 'replica1', at: 4000 });
      expect(Object.keys(gone.psync)).toEqual(['replica2']);
      expect(gone.costs).toEqual({});
      expect(gone.synced).toEqual({});
      expect(gone.lastPsync).toBe(gone.psync['replica2']);
      const none = applyEvent(gone, { type: 'removed', server: 'replica2', at: 4001 });
      expect(none.lastPsync).toBeNull();
    });
  });

  it('costs a resync from the PSYNC to online', () => {
    const v = applyEvent(EMPTY_EVENT_VIEW, {
      type: 'resynced',
      master: 'master',
      replica: 'replica1',
      kind: 'partial',
      bytes: 122,
      startedAt: 20_000,
      at: 20_801,
    });
    expect(v.costs).toEqual({
      replica1: { replica: 'replica1', kind: 'partial', bytes: 122, ms: 801, at: 20_801 },
    });
  });

  it('counts stream growth per server (never a shrink) and flashes changed keys', () => {
    let v = applyEvent(EMPTY_EVENT_VIEW, {
      type: 'offset',
      server: 'master',
      before: 100,
      after: 222,
      at: 5000,
    });
    v = applyEvent(v, { type: 'offset', server: 'replica1', before: 500, after: 0, at: 5001 });
    expect(v.growth).toEqual({ master: [{ at: 5000, bytes: 122 }] });
    // Writes within one 250 ms bucket (5000–5249) are one sample, at the latest; 5250 starts one.
    const grown = [
      { type: 'offset', server: 'master', before: 222, after: 300, at: 5249 },
      { type: 'offset', server: 'master', before: 300, after: 310, at: 5250 },
    ] as const;
    const g1 = applyEvent(v, grown[0]);
    expect(g1.growth['master']).toEqual([{ at: 5249, bytes: 200 }]);
    expect(applyEvent(g1, grown[1]).growth['master']).toEqual([
      { at: 5249, bytes: 200 },
      { at: 5250, bytes: 10 },
    ]);
    expect(v.growth['master']).toEqual([{ at: 5000, bytes: 122 }]); // not changed in place
    v = applyEvent(v, { type: 'keyspace', server: 'master', keys: ['a', 'b'], at: 5000 });
    v = applyEvent(v, { type: 'keyspace', server: 'replica1', keys: ['a'], at: 5400 });
    v = applyEvent(v, { type: 'keyspace', server: 'master', keys: ['a'], at: 5500 });
    expect(v.flashes).toEqual({
      master: new Map([
        ['b', 2],
        ['a', 4],
      ]),
      replica1: new Map([['a', 3]]),
    });
    expect(applyEvent(v, { type: 'keyspace', server: 'master', keys: [], at: 6000 })).toBe(v);
    const gone = applyEvent(v, { type: 'removed', server: 'replica1', at: 7000 });
    expect(Object.keys(gone.flashes)).toEqual(['master']);
  });

  it('remembers only the 32 keys changed last per server, whatever the keyspace holds', () => {
    let v = EMPTY_EVENT_VIEW;
    for (let n = 1; n <= 40; n++)
      v = applyEvent(v, { type: 'keyspace', server: 'master', keys: [`key:${n}`], at: n });
    // key:1 … key:8 were the oldest eight of forty: forgotten; the others keep their counters.
    const master = v.flashes.master!;
    expect(master.size).toBe(32);
    expect(master.get('key:8')).toBeUndefined();
    expect(master.get('key:9')).toBe(9);
    expect(master.get('key:40')).toBe(40);
    // Written again, an old key is new again, and the oldest remembered one goes.
    v = applyEvent(v, { type: 'keyspace', server: 'master', keys: ['key:1'], at: 41 });
    expect(v.flashes.master!.get('key:1')).toBe(41);
    expect(v.flashes.master!.get('key:9')).toBeUndefined();
    // One event changing a hundred keys (an MSET, a FLUSHALL's deletions): the last 32 of it.
    const many = Array.from({ length: 100 }, (_, i) => `m:${i}`);
    v = applyEvent(v, { type: 'keyspace', server: 'master', keys: many, at: 42 });
    expect([...v.flashes.master!.keys()].sort()).toEqual(many.slice(68).sort());
    expect(v.flashes.master!.get('m:99')).toBe(141);
    // Any key name is a key, even one named like an object's own property.
    const odd = applyEvent(EMPTY_EVENT_VIEW, {
      type: 'keyspace',
      server: 'master',
      keys: ['__proto__', 'constructor'],
      at: 1,
    });
    expect([...odd.flashes.master!]).toEqual([
      ['__proto__', 1],
      ['constructor', 2],
    ]);
  });

  it('never mutates its input, and ignores what it does not project', () => {
    let v: EventView = deepFreeze(applyEvent(applyEvent(EMPTY_EVENT_VIEW, msg(1)), PSYNC));
    const events: SimEvent[] = [
      msg(2),
      { type: 'dropped', id: 1, at: 1100 },
      msg(3, { kind: 'FULLRESYNC', label: '+FULLRESYNC x 1' }),
      { type: 'offset', server: 'master', before: 1, after: 2, at: 1 },
      { type: 'keyspace', server: 'master', keys: ['k'], at: 1 },
      { type: 'removed', server: 'master', at: 2 },
    ];
    for (const e of events) v = deepFreeze(applyEvent(v, deepFreeze(e)));
    expect(v.messages).toHaveLength(3);
    const log: SimEvent = { type: 'log', server: 'master', line: 'x', at: 1 };
    expect(applyEvent(v, log)).toBe(v);
  });
});

describe('settling the view in time', () => {
  it('a message leaves the wire after it arrives; a dropped one after it faded', () => {
    const v = foldEvents(
      EMPTY_EVENT_VIEW,
      [
        msg(1, { arriveAt: 1429 }),
        msg(2, { arriveAt: 1500 }),
        { type: 'dropped', id: 2, at: 1200 },
      ],
      1000,
    );
    expect(settleEvents(v, 1429)).toBe(v);
    expect(settleEvents(v, 1430).messages.map((m) => m.id)).toEqual([2]);
    expect(settleEvents(v, 1200 + DROP_FADE_MS - 1).messages.map((m) => m.id)).toEqual([2]);
    expect(settleEvents(v, 1200 + DROP_FADE_MS).messages).toEqual([]);
  });

  // A 1 KB/s link: 50 writes of 41 bytes sent at once, each leaving 41 ms after the one before
  // (finishAt) and arriving 400 ms after its last byte left. Message k (1-based) starts at
  // 1000 + 41(k-1) and arrives at 1400 + 41k.
  const queued = (n: number, from = 1) =>
    Array.from({ length: n }, (_, i) =>
      msg(from + i, {
        sendAt: 1000,
        bytes: 41,
        finishAt: 1000 + 41 * (from + i),
        arriveAt: 1400 + 41 * (from + i),
      }),
    );

  it('draws the first MAX_MESSAGES_PER_CHANNEL of a channel; the others wait their turn', () => {
    const v = foldEvents(EMPTY_EVENT_VIEW, queued(50), 1000);
    expect(v.messages.map((m) => m.id)).toEqual(
      Array.from({ length: MAX_MESSAGES_PER_CHANNEL }, (_, i) => i + 1),
    );
    const w = v.waiting['master>replica1'];
    expect(w && w.end - w.start).toBe(50 - MAX_MESSAGES_PER_CHANNEL);
    expect(waitingSentBy(w, 1000)).toBe(50 - MAX_MESSAGES_PER_CHANNEL);
    expect(waitingSentBy(w, 999)).toBe(0);
    // Those waiting still queue behind the ones before them: message 41 starts when 40's last
    // byte has left (1000 + 41·40), as the sender's socket sends them.
    expect(w?.items[w.start]?.startAt).toBe(1000 + 41 * 40);
    // Messages 1..3 have arrived just after 1400 + 41·3 (a message is on the wire until its
    // arriveAt): three of those waiting move up, in order.
    const later = settleEvents(v, 1400 + 123 + 1);
    expect(later.messages.map((m) => m.id)).toEqual(
      Array.from({ length: MAX_MESSAGES_PER_CHANNEL }, (_, i) => i + 4),
    );
    const lw = later.waiting['master>replica1'];
    expect(lw && lw.end - lw.start).toBe(50 - MAX_MESSAGES_PER_CHANNEL - 3);
    // All arrived: nothing left on the wire, nothing waiting.
    const end = settleEvents(later, 1400 + 41 * 50 + 1);
    expect(end.messages).toEqual([]);
    expect(end.waiting).toEqual({});
  });

  it('a flood on one channel does not push another channel’s messages off the wire', () => {
    const rdb = msg(100, {
      to: 'replica2',
      conn: 2,
      kind: 'RDB',
      label: 'RDB',
      bytes: 5000,
      sendAt: 1000,
      finishAt: 6000,
      arriveAt: 6400,
    });
    const flood = queued(200, 101);
    const v = foldEvents(EMPTY_EVENT_VIEW, [rdb, ...flood], 1000);
    expect(v.messages.map((m) => m.id)).toContain(100);
    expect(channelMessages(v.messages, 'master', 'replica1', false)).toHaveLength(
      MAX_MESSAGES_PER_CHANNEL,
    );
  });

  it('those waiting move up in id order, whatever the folds in between', () => {
    const events: SimEvent[] = [
      ...queued(45),
      msg(46, { to: 'replica2', conn: 2, sendAt: 1100, finishAt: 1141, arriveAt: 1541 }),
    ];
    const once = foldEvents(EMPTY_EVENT_VIEW, events, 1600);
    expect(foldInTwo(events, 45, 1050, 1600)).toEqual(once);
    const ids = once.messages.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('a message lost while it waited fades out once its turn comes', () => {
    const v = foldEvents(
      EMPTY_EVENT_VIEW,
      [...queued(45), { type: 'dropped', id: 44, at: 1200 }],
      1200,
    );
    const w = v.waiting['master>replica1'];
    expect(w?.items.slice(w.start, w.end).find((m) => m.id === 44)?.droppedAt).toBe(1200);
  });

  it('forgets growth older than the rate window', () => {
    const v = foldEvents(
      EMPTY_EVENT_VIEW,
      [
        { type: 'offset', server: 'master', before: 0, after: 10, at: 1000 },
        { type: 'offset', server: 'master', before: 10, after: 30, at: 2000 },
      ],
      2000,
    );
    expect(settleEvents(v, 1000 + RATE_WINDOW_MS).growth).toEqual({
      master: [{ at: 2000, bytes: 20 }],
    });
    expect(settleEvents(v, 2000 + RATE_WINDOW_MS).growth).toEqual({});
  });

  it('folding in two batches is folding all at once', () => {
    const events: SimEvent[] = [
      msg(1, { sendAt: 100, arriveAt: 600 }),
      PSYNC,
      msg(2, { sendAt: 3000, arriveAt: 3500, kind: 'FULLRESYNC', label: '+FULLRESYNC b 7' }),
      { type: 'offset', server: 'master', before: 0, after: 14, at: 3100 },
      msg(3, { sendAt: 3200, arriveAt: 4000 }),
      { type: 'dropped', id: 3, at: 3300 },
    ];
    const once = foldEvents(EMPTY_EVENT_VIEW, events, 3400);
    expect(foldInTwo(events, 3, 3050, 3400)).toEqual(once);
    expect(once.messages.map((m) => [m.id, m.droppedAt])).toEqual([
      [2, null],
      [3, 3300],
    ]);
  });

  it('tells when a message reaches its receiver between two moments', () => {
    const wire = [applyEvent(EMPTY_EVENT_VIEW, msg(1, { arriveAt: 1429 })).messages[0]!];
    expect(arrivesBetween(wire, 1000, 1428)).toBe(false);
    expect(arrivesBetween(wire, 1000, 1429)).toBe(true);
    expect(arrivesBetween(wire, 1429, 2000)).toBe(false);
    const dropped = [{ ...wire[0]!, droppedAt: 1200 }];
    expect(arrivesBetween(dropped, 1000, 2000)).toBe(false);
  });
});

describe('milestones for skip-to-next', () => {
  it('are decisions, transfers and links that go up or down, not reconnect attempts', () => {
    const rs = (before: ReplState, after: ReplState): SimEvent => ({
      type: 'replState',
      server: 'r',
      before,
      after,
      at: 0,
    });
    expect(isMilestone(PSYNC)).toBe(true);
    expect(isMilestone(rs('connected', 'connect'))).toBe(true);
    expect(isMilestone(rs('connect', 'connecting'))).toBe(false);
    expect(isMilestone(rs('connecting', 'receive_ping_reply'))).toBe(true);
    expect(isMilestone(msg(1))).toBe(false);
  });
});

describe("Valkey's rdb channel", () => {
  it('a message on it is marked, and each wire of the pair gets its own', () => {
    let v = applyEvent(EMPTY_EVENT_VIEW, msg(1, { conn: 1, kind: 'STREAM', label: 'SET a 1' }));
    v = applyEvent(
      v,
      msg(2, { conn: 2, kind: 'RDB', label: 'RDB 4096 bytes', bytes: 4136, channel: 'rdb' }),
    );
    expect(v.messages.map((m) => m.rdbChannel ?? false)).toEqual([false, true]);
    expect(channelMessages(v.messages, 'master', 'replica1', false).map((m) => m.id)).toEqual([1]);
    expect(channelMessages(v.messages, 'replica1', 'master', true).map((m) => m.id)).toEqual([2]);
  });
});
