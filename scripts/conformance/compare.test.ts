import { describe, expect, it } from 'vitest';
import type { RunObservation } from '../../src/lab/observation';
import { compareRuns } from './compare';
import { parseScript } from '../../src/lab/script';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const Z = '0'.repeat(40);
const ctx = { servers: [{ name: 'master', host: '127.0.0.1', port: 6379 }] };

const info = (
  id: string,
  slaves: string[],
  extra: Array<[string, string]> = [],
): RunObservation => ({
  steps: [
    {
      index: 0,
      text: 'wait 1s',
      info: {
        master: [
          ['role', 'master'],
          ['connected_slaves', String(slaves.length)],
          ...slaves.map((v, i): [string, string] => [`slave${i}`, v]),
          ['master_replid', id],
          ['master_replid2', Z],
          ['master_repl_offset', '100'],
          ...extra,
        ],
      },
    },
  ],
  logs: {},
});

describe('compareRuns', () => {
  it('pairs replication IDs by role, not by value', () => {
    expect(compareRuns(info(A, []), info(B, []), ctx)).toBeNull();
  });

  it('reports an ID that plays two roles', () => {
    const engine: RunObservation = {
      steps: [...info(A, []).steps, { ...info(A, []).steps[0]!, index: 1 }],
      logs: {},
    };
    const real: RunObservation = {
      steps: [...info(B, []).steps, { ...info(C, []).steps[0]!, index: 1 }],
      logs: {},
    };
    const d = compareRuns(engine, real, ctx);
    expect(d?.field).toContain('master_replid');
  });

  it('compares slaveN lines by address, whatever order the PSYNCs arrived in', () => {
    const r1 = 'ip=127.0.0.1,port=6380,state=online,offset=100,lag=0';
    const r2 = 'ip=127.0.0.1,port=6381,state=online,offset=100,lag=0';
    expect(compareRuns(info(A, [r1, r2]), info(B, [r2, r1]), ctx)).toBeNull();
  });

  it('finds a real difference in an exact field', () => {
    const d = compareRuns(
      info(A, [], [['repl_backlog_histlen', '100']]),
      info(B, [], [['repl_backlog_histlen', '114']]),
      ctx,
    );
    expect(d).not.toBeNull();
    expect(d!.engine).toBe('100');
    expect(d!.real).toBe('114');
  });

  it('shows the real log lines before a log disagreement, timestamps included', () => {
    const synced = 'Synchronization with replica 127.0.0.1:6380 succeeded';
    const obs = (lines: string[]): RunObservation => ({ steps: [], logs: { master: lines } });
    const d = compareRuns(
      obs([
        `4437:M 27 Feb 2020 14:06:30.101 * ${synced}`,
        '4437:M 27 Feb 2020 14:06:36.001 # Disconnecting timedout replica (streaming sync): 127.0.0.1:6380',
      ]),
      obs([
        `999:M 26 Nov 2026 13:17:05.143 * ${synced}`,
        '999:M 26 Nov 2026 13:17:11.164 * Replica 127.0.0.1:6380 asks for synchronization',
      ]),
      ctx,
    );
    expect(d?.field).toBe('log master, replication line #2');
    expect(d?.message).toContain(`real before: 999:M 26 Nov 2026 13:17:05.143 * ${synced}`);
    expect(d?.message).toContain(`engine before: M * ${synced}`);
  });
});

describe('transfer progress over a limited link', () => {
  // 2048 bytes/s: 250 ms of transfer is 512 bytes of slack.
  const script = parseScript('latency 1ms bandwidth 2kb\nserver master 127.0.0.1:6379\nwait 1s');
  const during = (read: number, total = 4096): RunObservation =>
    info(
      A,
      [],
      [
        ['master_sync_total_bytes', String(total)],
        ['master_sync_read_bytes', String(read)],
        ['master_sync_left_bytes', String(total - read)],
        ['master_sync_perc', total ? ((read / total) * 100).toFixed(2) : '0.00'],
      ],
    );

  it('accepts read bytes within 250 ms of the link apart, and not one byte more', () => {
    expect(compareRuns(during(1000), during(1512), { ...ctx, script })).toBeNull();
    const d = compareRuns(during(1000), during(1513), { ...ctx, script });
    expect(d?.field).toBe('INFO master master_sync_read_bytes');
  });

  it('is exact without a bandwidth', () => {
    const noLink = parseScript('server master 127.0.0.1:6379\nwait 1s');
    const d = compareRuns(during(1000), during(1001), { ...ctx, script: noLink });
    expect(d?.field).toBe('INFO master master_sync_read_bytes');
  });

  it('master_sync_perc gets the same slack as a share of the total', () => {
    // 512 of 4096 bytes is 12.5 points: 10.00 vs 22.50 passes; 10.00 vs 22.52 does not.
    const a = during(0);
    const withPerc = (o: RunObservation, p: string): RunObservation => ({
      ...o,
      steps: o.steps.map((s) => ({
        ...s,
        info: {
          master: s.info!.master!.map(([k, v]): [string, string] =>
            k === 'master_sync_perc' ? [k, p] : [k, v],
          ),
        },
      })),
    });
    expect(compareRuns(withPerc(a, '10.00'), withPerc(a, '22.50'), { ...ctx, script })).toBeNull();
    expect(compareRuns(withPerc(a, '10.00'), withPerc(a, '22.52'), { ...ctx, script })?.field).toBe(
      'INFO master master_sync_perc',
    );
  });
});
