/**
 * The derived values the UI shows, on hand-made views; then the same selectors against the
 * engine's own PSYNC decision in a real run, so they cannot drift from it.
 */
import { describe, expect, it } from 'vitest';
import {
  backlogGauge,
  bytesUntilOut,
  msUntil,
  offsetInBacklog,
  psyncOutsideBacklog,
  selectBacklogForecast,
  selectTimeouts,
  writeRateAt,
} from './selectors';
import type { LabState } from './state';
import { createLabStore } from './store';
import type { ServerView } from './types';

function sv(over: Partial<ServerView> & { name: string }): ServerView {
  return {
    host: '10.0.0.1',
    port: 6379,
    addr: '10.0.0.1:6379',
    alive: true,
    role: 'master',
    masterName: null,
    masterAddr: null,
    replid: 'a'.repeat(40),
    replid2: '0'.repeat(40),
    secondOffset: -1,
    offset: 0,
    link: null,
    net: 'up',
    backlog: null,
    backlogSize: 1000,
    replicas: [],
    replTimeout: 60,
    masterTimeoutAt: null,
    keys: [],
    info: [],
    ...over,
  };
}

/** Master at 5000 with a 1000-byte backlog holding 4001…5000. */
const MASTER = sv({
  name: 'master',
  offset: 5000,
  backlog: { first: 4001, histlen: 1000, size: 1000, blocks: null },
});
const replica = (name: string, over: Partial<ServerView>) =>
  sv({ name, role: 'replica', masterName: 'master', link: 'online', ...over });

function state(servers: ServerView[]): LabState {
  return { servers, mainMaster: 'master' } as unknown as LabState;
}

describe('offsetInBacklog', () => {
  it('accepts first … first + histlen, as the master’s range check does', () => {
    const b = { first: 4001, histlen: 1000 };
    expect(offsetInBacklog(b, 4000)).toBe(false);
    expect(offsetInBacklog(b, 4001)).toBe(true);
    // One past the last byte: a replica in sync asks for it, and gets +CONTINUE with nothing.
    expect(offsetInBacklog(b, 5001)).toBe(true);
    expect(offsetInBacklog(b, 5002)).toBe(false);
    expect(offsetInBacklog(null, 1)).toBe(false);
  });
});

describe('selectBacklogForecast', () => {
  const views = [
    MASTER,
    replica('inSync', { offset: 5000 }),
    replica('cutInside', { offset: 4700, net: 'down', link: 'down' }),
    replica('cutOutside', { offset: 3000, net: 'down', link: 'down' }),
  ];

  it('each replica’s missed range, and whether it is still in the backlog', () => {
    const f = selectBacklogForecast(state(views));
    expect(f?.first).toBe(4001);
    expect(f?.last).toBe(5000);
    expect(f?.replicas.map((r) => [r.name, r.next, r.missed, r.outside])).toEqual([
      ['inSync', 5001, null, false],
      ['cutInside', 4701, { from: 4701, to: 5000 }, false],
      ['cutOutside', 3001, { from: 3001, to: 5000 }, true],
    ]);
    // The ring keeps the last 1000 bytes: 4701 leaves once master_repl_offset reaches 5701.
    expect(f?.replicas[1]?.bytesLeft).toBe(701);
    expect(f?.replicas[1]?.atLeast).toBe(false);
  });

  it('is the same object until the views change, even read in turn with another store’s', () => {
    const s = state(views);
    const other = state([MASTER]);
    const first = selectBacklogForecast(s);
    expect(selectBacklogForecast(other)?.replicas).toEqual([]);
    expect(selectBacklogForecast({ ...s } as LabState)).toBe(first);
    expect(selectBacklogForecast(state([...views]))).not.toBe(first);
  });

  it('with no backlog every missed byte is outside it', () => {
    const f = selectBacklogForecast(
      state([sv({ name: 'master', offset: 200 }), replica('r', { offset: 100, link: 'down' })]),
    );
    expect(f?.first).toBe(201);
    expect(f?.replicas[0]?.outside).toBe(true);
  });

  it('the gauge: how long the backlog lasts at a write rate, and who has fallen out', () => {
    const f = selectBacklogForecast(state(views));
    if (!f) throw new Error('no forecast');
    const g = backlogGauge(f, 20);
    expect(g.absorbsMs).toBe(50_000); // 1000 bytes at 20 B/s
    expect(g.lines).toEqual([
      // 701 bytes at 20 B/s
      { name: 'cutInside', lost: false, bytesLeft: 701, atLeast: false, msLeft: 35_050 },
      { name: 'cutOutside', lost: true },
    ]);
    expect(backlogGauge(f, 0).absorbsMs).toBe(Infinity);
    expect(msUntil(-5, 10)).toBe(0);
  });
});

describe('bytesUntilOut', () => {
  // Redis 7: blocks of 100 bytes from offset 1 (1…100, 101…200, 201…300), the tail half used,
  // repl-backlog-size 150, master at 250.
  const b = {
    size: 150,
    blocks: [
      { start: 1, size: 100 },
      { start: 101, size: 100 },
      { start: 201, size: 100 },
    ],
  };

  it('an offset leaves with its whole block, once the blocks after it hold more than the size', () => {
    // Block 1…100 goes when 101…master holds more than 150 bytes: master at 251.
    expect(bytesUntilOut(b, 250, 1)).toEqual({ bytes: 1, atLeast: false });
    expect(bytesUntilOut(b, 250, 100)).toEqual({ bytes: 1, atLeast: false });
    // Block 101…200 goes when 201…master holds more than 150: master at 351.
    expect(bytesUntilOut(b, 250, 101)).toEqual({ bytes: 101, atLeast: false });
    expect(bytesUntilOut(b, 250, 251)).toEqual({ bytes: 201, atLeast: false });
  });

  it('past the last block, a lower bound; the ring keeps exactly the size', () => {
    expect(bytesUntilOut(b, 300, 301)).toEqual({ bytes: 151, atLeast: true });
    expect(bytesUntilOut({ size: 150, blocks: null }, 250, 101)).toEqual({
      bytes: 1,
      atLeast: false,
    });
  });
});

describe('selectTimeouts', () => {
  const master = sv({
    name: 'master',
    replicas: [
      { server: 'r1', addr: 'a', state: 'online', ackOffset: 0, timeoutAt: 61_001 },
      { server: 'r2', addr: 'b', state: 'online', ackOffset: 0, timeoutAt: 62_001 },
    ],
  });

  it('both ends of a stopped or silent cut; nothing for a reset or an intact link', () => {
    const views = [
      master,
      replica('r1', { net: 'stopped', masterTimeoutAt: 60_500 }),
      replica('r2', { net: 'down', link: 'down', masterTimeoutAt: null }),
    ];
    expect(selectTimeouts({ servers: views })).toEqual([
      { side: 'master', master: 'master', replica: 'r1', at: 61_001, timeout: 60 },
      { side: 'replica', master: 'master', replica: 'r1', at: 60_500, timeout: 60 },
    ]);
    expect(selectTimeouts({ servers: views })).toBe(selectTimeouts({ servers: views }));
    const silentMaster = [{ ...master, net: 'silent' as const }, replica('r1', {})];
    expect(selectTimeouts({ servers: silentMaster }).map((t) => t.side)).toEqual(['master']);
    expect(selectTimeouts({ servers: [master, replica('r1', { masterTimeoutAt: 9 })] })).toEqual(
      [],
    );
  });
});

describe('writeRateAt', () => {
  it('bytes of the main master’s stream over the last 30 s, per second', () => {
    const s = {
      mainMaster: 'master',
      growth: {
        master: [
          { at: 1000, bytes: 300 },
          { at: 20_000, bytes: 600 },
        ],
        replica1: [{ at: 20_000, bytes: 9999 }],
      },
    };
    expect(writeRateAt(s, 40_000)).toBe(20); // only the 600 bytes at 20 s are in (10 s, 40 s]
    expect(writeRateAt(s, 20_000)).toBe(45); // 900 bytes over 20 s
    expect(writeRateAt(s, 500)).toBe(0); // nothing written yet
  });
});

describe('the selectors agree with the engine’s PSYNC decision', () => {
  it('a cut replica whose missed bytes are still in the backlog gets +CONTINUE', () => {
    const store = createLabStore({ autoplay: false, seed: 7 });
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().resetConnection('replica1');
    s().consoleSubmit('master', 'SET a b');
    s().applyStatement('wait 2s');
    const r = selectBacklogForecast(s())?.replicas.find((x) => x.name === 'replica1');
    expect(r?.missed).not.toBeNull();
    expect(r?.outside).toBe(false);
    s().restoreNetwork('replica1');
    s().applyStatement('wait 5s');
    const d = s().psync['replica1'];
    expect(d?.result).toBe('continue');
    expect(d?.offset).toBe(r?.next);
    expect(d && psyncOutsideBacklog(d)).toBe(false);
  });

  it('one whose missed bytes fell out of it gets +FULLRESYNC, failing the range check', () => {
    const store = createLabStore({ autoplay: false, seed: 7 });
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().consoleSubmit('master', 'CONFIG SET repl-backlog-size 16384');
    s().resetConnection('replica1');
    // 40 writes of about 1 KB each: over 40 KB, more than the backlog plus a 20 KB block.
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 40; i++) s().consoleSubmit('master', `SET k${i} ${big}`);
    const r = selectBacklogForecast(s())?.replicas.find((x) => x.name === 'replica1');
    expect(r?.outside).toBe(true);
    expect(backlogGauge(selectBacklogForecast(s())!, 0).lines).toEqual([
      { name: 'replica1', lost: true },
    ]);
    s().restoreNetwork('replica1');
    s().applyStatement('wait 5s');
    const d = s().psync['replica1'];
    expect(d?.result).toBe('fullresync');
    expect(d?.offset).toBe(r?.next);
    expect(d && psyncOutsideBacklog(d)).toBe(true);
    // The decision carries the backlog it was made against: the offset is before its start.
    expect(d?.backlog && d.offset < d.backlog.offset).toBe(true);
  });
});
