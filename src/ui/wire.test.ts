/** The wire's pure parts: packet labels, lane layout, the skip notice, reconnect attempts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../engine/events';
import { reconnectInfo, type WireMessage } from '../store';
import { skipJump, skipWhat, type SkipWords } from './skipNotice';
import { packetText, summarizeCommands, type PacketText, type WireWords } from './wireLabels';
import { assignSlots, layoutLane, overlaps, type LaneItem } from './wireLayout';

const WORDS: WireWords = { backlog: 'backlog', fromOffset: 'from offset', more: 'more' };
const ID = '742101f6447b3839bbae902eab3823df9959aa61';

function wm(over: Partial<WireMessage>): WireMessage {
  return {
    id: 1,
    from: 'master',
    to: 'replica1',
    kind: 'STREAM',
    label: '',
    bytes: 10,
    sendAt: 0,
    sentAt: 10,
    arriveAt: 410,
    droppedAt: null,
    resp: null,
    conn: 1,
    startAt: 0,
    commands: null,
    backlogSlice: null,
    ...over,
  };
}

/** A packet's lines as plain text, the way the page reads them. */
const lines = (p: PacketText | null) => p?.lines.map((l) => l.map((c) => c.text).join(' ')) ?? null;

describe('packet labels', () => {
  it('PSYNC and +FULLRESYNC show the whole offset, the replication ID shortened', () => {
    const psync = wm({
      kind: 'PSYNC',
      from: 'replica1',
      to: 'master',
      label: `PSYNC ${ID} 1234567`,
    });
    expect(lines(packetText(psync, 'commands', WORDS))).toEqual(['PSYNC 742101f6… 1234567']);
    const full = wm({ kind: 'FULLRESYNC', label: `+FULLRESYNC ${ID} 9876543210` });
    expect(lines(packetText(full, 'commands', WORDS))).toEqual([
      '+FULLRESYNC 742101f6… 9876543210',
    ]);
    const cont = wm({ kind: 'CONTINUE', label: `+CONTINUE ${ID}` });
    expect(lines(packetText(cont, 'commands', WORDS))).toEqual(['+CONTINUE 742101f6…']);
    expect(packetText(psync, 'commands', WORDS)?.title).toContain(ID);
  });

  it('the backlog slice says its bytes, its offset and what it holds', () => {
    const cmds = [
      { off: 97, argv: ['SELECT', '0'] },
      {
        off: 120,
        argv: ['HSET', 'curso:4', 'nombre', 'Curso de introducción a docker', 'duration', '30'],
      },
      ...Array.from({ length: 6 }, (_, i) => ({ off: 200 + i * 14, argv: ['PING'] })),
    ];
    const slice = wm({ commands: cmds, bytes: 183, backlogSlice: { offset: 97, bytes: 183 } });
    expect(lines(packetText(slice, 'commands', WORDS))).toEqual([
      'backlog 183 B from offset 97',
      'HSET curso:4 … + 6 PING',
    ]);
  });

  it('summaries count what they do not spell, and never show SELECT before the data', () => {
    const c = (...argv: string[]) => ({ off: 1, argv });
    expect(
      summarizeCommands([c('SELECT', '0'), c('SET', 'k', 'v')], WORDS).map((x) => x.text),
    ).toEqual(['SET k v']);
    expect(summarizeCommands([c('PING'), c('PING')], WORDS).map((x) => x.text)).toEqual(['2 PING']);
    expect(summarizeCommands([c('PING')], WORDS).map((x) => x.text)).toEqual(['PING']);
    expect(summarizeCommands([c('SELECT', '0')], WORDS).map((x) => x.text)).toEqual(['SELECT 0']);
    expect(
      summarizeCommands(
        [c('SET', 'a', '1'), c('SET', 'b', '2'), c('DEL', 'a'), c('INCR', 'n'), c('PING')],
        WORDS,
      ).map((x) => x.text),
    ).toEqual(['SET a 1', '+ 1 SET', '+ 1 DEL', '+ 2 more']);
  });

  it('the RDB is "RDB <size> B" with a progress bar; its $<size> header only shows as RESP', () => {
    const header = wm({ kind: 'RDB', label: '$305', bytes: 6 });
    const rdb = wm({ kind: 'RDB', label: 'RDB 305 bytes', bytes: 305 });
    expect(packetText(header, 'commands', WORDS)).toBeNull();
    expect(lines(packetText(rdb, 'commands', WORDS))).toEqual(['RDB 305 B']);
    expect(packetText(rdb, 'commands', WORDS)?.progress).toBe(true);
    expect(lines(packetText(header, 'resp', WORDS))).toEqual(['$305\\r\\n', '6 B']);
  });

  it('the RESP view shows the bytes themselves, and a stream message its first offset', () => {
    const s = wm({
      commands: [{ off: 97, argv: ['SELECT', '0'] }],
      resp: '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n',
      bytes: 23,
    });
    expect(lines(packetText(s, 'resp', WORDS))).toEqual([
      '@97 *2\\r\\n $6\\r\\n SELECT\\r\\n $1\\r\\n 0\\r\\n',
      '23 B',
    ]);
    const psync = wm({ kind: 'PSYNC', label: 'PSYNC ? -1', bytes: 30 });
    expect(lines(packetText(psync, 'resp', WORDS))?.[0]).toBe(
      '*3\\r\\n $5\\r\\n PSYNC\\r\\n $1\\r\\n ?\\r\\n $2\\r\\n -1\\r\\n',
    );
    // Redis 7 pipelines both REPLCONFs in one write: 49 + 59 bytes.
    const both = wm({
      kind: 'REPLCONF',
      label: 'REPLCONF listening-port 6379 + capa eof psync2',
      bytes: 108,
    });
    expect(lines(packetText(both, 'resp', WORDS))?.[0]).toContain(
      'listening-port\\r\\n $4\\r\\n 6379\\r\\n *5\\r\\n',
    );
  });
});

describe('lane layout', () => {
  const room = { width: 300, outward: 200, gap: 4 };

  it('packets sent in the same instant never overlap: the later one stacks outward', () => {
    const items: LaneItem[] = [
      { id: 1, x: 0, w: 120, h: 30 },
      { id: 2, x: 0, w: 200, h: 50 },
      { id: 3, x: 0, w: 60, h: 30 },
    ];
    const { boxes, hidden } = layoutLane(items, room);
    expect(hidden).toEqual([]);
    expect(boxes.map((b) => [b.id, b.x, b.y])).toEqual([
      [1, 0, 0],
      [2, 0, 44],
      [3, 0, 88],
    ]);
    for (const a of boxes) for (const b of boxes) if (a !== b) expect(overlaps(a, b)).toBe(false);
  });

  it('keeps the engine’s place along the lane, and the line when there is room', () => {
    const { boxes } = layoutLane(
      [
        { id: 1, x: 200, w: 80, h: 30 },
        { id: 2, x: 40, w: 80, h: 30 },
        { id: 3, x: 500, w: 80, h: 30 },
      ],
      room,
    );
    expect(boxes.map((b) => [b.id, b.x, b.y])).toEqual([
      [1, 200, 0],
      [2, 40, 0],
      [3, 220, 34],
    ]);
  });

  it('what does not fit is counted, not drawn over something', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ id: i, x: 0, w: 100, h: 30 }));
    const { boxes, hidden } = layoutLane(many, { width: 300, outward: 90, gap: 4 });
    expect(boxes.map((b) => b.id)).toEqual([0, 1, 2]);
    expect(hidden).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('a packet too tall for the room beyond its line moves inward, never out of the wire', () => {
    const { boxes } = layoutLane([{ id: 1, x: 0, w: 100, h: 80 }], {
      width: 300,
      outward: 20,
      gap: 4,
    });
    expect(boxes[0]?.y).toBe(-20);
  });

  it('a packet lost in a cut fades where it was and holds no room', () => {
    const { boxes } = layoutLane(
      [
        { id: 1, x: 0, w: 100, h: 30, ghost: true },
        { id: 2, x: 0, w: 100, h: 30 },
      ],
      room,
    );
    expect(boxes.map((b) => [b.id, b.y])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });
});

describe('packet elements (assignSlots)', () => {
  it('a write stream relabels the element the arrived packet left: no new element per arrival', () => {
    // Three queued writes drawn (ids 7, 8, 9), then 7 arrives and 10 is drawn in its place.
    const first = assignSlots([7, 8, 9], new Map());
    expect([...first]).toEqual([
      [7, 0],
      [8, 1],
      [9, 2],
    ]);
    const next = assignSlots([8, 9, 10], first);
    expect([...next]).toEqual([
      [8, 1],
      [9, 2],
      [10, 0],
    ]);
    // The same draw assigned again changes nothing (a render run twice).
    expect(assignSlots([8, 9, 10], next)).toEqual(next);
  });

  it('keeps every drawn packet in its element, never gives one element to two, and needs no more elements than the most packets drawn at once', () => {
    const draw = fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 48 });
    fc.assert(
      fc.property(fc.array(draw, { minLength: 1, maxLength: 12 }), (draws) => {
        let prev: ReadonlyMap<number, number> = new Map();
        let most = 0;
        for (const ids of draws) {
          most = Math.max(most, ids.length);
          const next = assignSlots(ids, prev);
          expect([...next.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
          const used = [...next.values()];
          expect(new Set(used).size).toBe(used.length);
          expect(used.every((s) => s >= 0 && s < most)).toBe(true);
          for (const id of ids) if (prev.has(id)) expect(next.get(id)).toBe(prev.get(id));
          prev = next;
        }
      }),
    );
  });
});

describe('skip notice', () => {
  const W: SkipWords = {
    none: 'nothing happened',
    bgsaveStart: 'BGSAVE started',
    bgsaveEnd: 'BGSAVE finished',
    forReplication: 'for replication',
    resynced: 'in sync again',
    linkUp: 'link to master up',
    linkDown: 'link to master lost',
    partial: 'partial resync',
    full: 'full resync',
  };
  const at = (event: SimEvent | null, from = 1000, to = 7100) => ({ id: 1, from, to, event });

  it('names the event it stopped at and how far the clock jumped', () => {
    const psync: SimEvent = {
      type: 'psync',
      master: 'master',
      replica: 'replica1',
      replid: ID,
      offset: 97,
      checks: [],
      result: 'continue',
      reply: `+CONTINUE ${ID}`,
      bytes: 183,
      backlog: null,
      master_repl_offset: 279,
      at: 7100,
    };
    expect(skipWhat(at(psync), W)).toBe('→ replica1: PSYNC 742101f6… 97 → +CONTINUE');
    expect(skipJump(at(psync))).toBe('+6.1 s');
    const bgsave: SimEvent = {
      type: 'bgsave',
      server: 'master',
      phase: 'start',
      target: 'disk',
      purpose: 'replication',
      at: 0,
    };
    expect(skipWhat(at(bgsave), W)).toBe('→ master: BGSAVE started (for replication)');
  });

  it('says so when nothing happened, and how long it skipped', () => {
    expect(skipWhat(at(null, 0, 120_000), W)).toBe('→ nothing happened');
    expect(skipJump(at(null, 0, 120_000))).toBe('+2.0 min');
  });
});

describe('reconnect attempts, from the replica’s log', () => {
  const L = (msg: string) => ({ text: `4561:S 27 Feb 2020 14:06:44.101 * ${msg}` });
  it('counts attempts since the last connect that went through, with the last error', () => {
    const log = [
      L('Non blocking connect for SYNC fired the event.'),
      L('Connection with master lost.'),
      L('Connecting to MASTER 192.168.157.144:6379'),
      L('MASTER <-> REPLICA sync started'),
      L('Error condition on socket for SYNC: Connection refused'),
      L('Connecting to MASTER 192.168.157.144:6379'),
      L('MASTER <-> REPLICA sync started'),
    ];
    expect(reconnectInfo(log)).toEqual({ attempts: 2, error: 'Connection refused' });
    expect(reconnectInfo(log.slice(0, 2))).toEqual({
      attempts: 0,
      error: 'Connection with master lost.',
    });
    expect(reconnectInfo([...log, L('Non blocking connect for SYNC fired the event.')])).toEqual({
      attempts: 0,
      error: null,
    });
  });
  it('a first connect is no retry', () => {
    expect(reconnectInfo([L('Connecting to MASTER 192.168.157.144:6379')])).toEqual({
      attempts: 1,
      error: null,
    });
  });
});
