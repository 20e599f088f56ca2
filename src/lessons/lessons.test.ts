/**
 * The built-in lessons: every `*.lab` file here parses, is named after its id, and runs to the end
 * with every quote proven (runScenario throws otherwise). Then, per lesson, the numbers its
 * narration states are worked out again from Redis's rules (RESP sizes of the commands in the
 * file, the PSYNC accept rule, the 7.0 backlog blocks) and compared with the engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replicationFields } from '../engine/info';
import type { Lab } from '../lab/run';
import { compareTwin, runScenario } from '../lab/headless';
import { parseScenario, twinOf, type Scenario } from '../lab/scenario';

const DIR = new URL('.', import.meta.url);
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.lab'))
  .sort();

const load = (file: string): Scenario => parseScenario(readFileSync(new URL(file, DIR), 'utf8'));

/** Bytes of a command in the replication stream: RESP, lengths in UTF-8 bytes. */
const utf8 = (s: string): number => new TextEncoder().encode(s).length;
const respLen = (argv: readonly string[]): number =>
  `*${argv.length}\r\n`.length +
  argv.reduce((n, a) => n + `$${utf8(a)}\r\n`.length + utf8(a) + 2, 0);
const SELECT0 = respLen(['SELECT', '0']);
const PING = respLen(['ping']);

/** The argv of the first command the file sends to `server` with `key` as first argument. */
function command(sc: Scenario, server: string, name: string, key: string): readonly string[] {
  for (const st of [...sc.setup, ...sc.steps.flatMap((s) => s.statements)])
    if (
      st.kind === 'command' &&
      st.server === server &&
      st.argv[0]?.toUpperCase() === name &&
      st.argv[1] === key
    )
      return st.argv;
  throw new Error(`no ${server} ${name} ${key} in ${sc.id}`);
}

/** Runs the setup and the first `n` steps only (the state in the middle of a lesson). */
const runUpTo = (sc: Scenario, n: number): Lab =>
  runScenario({ ...sc, steps: sc.steps.slice(0, n) }).lab;

const info = (lab: Lab, name: string): Record<string, string> =>
  Object.fromEntries(replicationFields(lab.sim.state, lab.sim.server(name)));
/** Log messages without the `pid:R date time L ` prefix. */
const messages = (lab: Lab, name: string): string[] =>
  lab.sim
    .server(name)
    .log.map((l) => l.replace(/^\d+:[MSCX] \d\d \w{3} \d{4} [\d:.]+ [*#.-] /, ''));
const num = (s: string | undefined): number => Number(s);

describe('every lesson file', () => {
  it('there are lessons', () => {
    expect(FILES).toContain('partial-resync.lab');
    expect(FILES.length).toBeGreaterThanOrEqual(7);
  });

  for (const file of FILES)
    it(`${file}: id = file name, 1–7 steps in both languages, every quote proven`, () => {
      const sc = load(file);
      expect(sc.id).toBe(file.replace(/\.lab$/, ''));
      expect(sc.title.en).not.toBe('');
      expect(sc.title.es).not.toBe('');
      expect(sc.steps.length).toBeGreaterThanOrEqual(1);
      expect(sc.steps.length).toBeLessThanOrEqual(7);
      for (const step of sc.steps) {
        expect(step.say.en).not.toBe('');
        expect(step.say.es).not.toBe('');
      }
      expect(() => runScenario(sc)).not.toThrow();
    });
});

describe('partial-resync', () => {
  it('sends the HSET plus six PINGs from the offset after SELECT 0, HSET curso:3 and three PINGs', () => {
    const sc = load('partial-resync.lab');
    const lab = runScenario(sc).lab;
    const hset4 = respLen(command(sc, 'master', 'HSET', 'curso:4'));
    expect(hset4).toBe(99);
    const from = 1 + SELECT0 + respLen(command(sc, 'master', 'HSET', 'curso:3')) + 3 * PING;
    expect(from).toBe(153);
    expect(messages(lab, 'master')).toContain(
      `Partial resynchronization request from 192.168.157.146:6379 accepted. Sending ${hset4 + 6 * PING} bytes of backlog starting from offset ${from}.`,
    );
    expect(hset4 + 6 * PING).toBe(183);
  });
});

describe('full-resync', () => {
  const sc = load('full-resync.lab');
  const lab = runScenario(sc).lab;
  const hset3 = respLen(command(sc, 'master', 'HSET', 'curso:3'));

  it('replica1: +FULLRESYNC at 0, an RDB without the write made during the BGSAVE, then the write', () => {
    const id = info(lab, 'master').master_replid;
    const r1 = messages(lab, 'replica1');
    expect(r1).toContain(`Full resync from master: ${id}:0`);
    // The RDB was forked before HSET curso:3: three keys; the write came after it, on the stream.
    expect(r1).toContain('Done loading RDB, keys loaded: 3, keys expired: 0.');
    expect(lab.sim.exec('replica1', ['HGET', 'curso:3', 'duration'])).toEqual({
      t: 'bulk',
      v: '15',
    });
    const m = messages(lab, 'master');
    expect(m.indexOf('Starting BGSAVE for SYNC with target: disk')).toBeGreaterThanOrEqual(0);
    expect(m.indexOf('Delay next BGSAVE for diskless SYNC')).toBeGreaterThan(
      m.indexOf('Starting BGSAVE for SYNC with target: disk'),
    );
  });

  it('replica2 (diskless): +FULLRESYNC at the offset when the BGSAVE starts, after a PING', () => {
    const at = SELECT0 + hset3 + PING;
    expect(at).toBe(124);
    const id = info(lab, 'master').master_replid;
    expect(messages(lab, 'replica2')).toContain(`Full resync from master: ${id}:${at}`);
    expect(messages(lab, 'master')).toContain(
      'Starting BGSAVE for SYNC with target: replicas sockets',
    );
    for (const name of ['master', 'replica1', 'replica2'])
      expect(num(info(lab, name).master_repl_offset)).toBe(at);
  });
});

describe('backlog-overflow', () => {
  const sc = load('backlog-overflow.lab');
  const hset3 = respLen(command(sc, 'master', 'HSET', 'curso:3'));
  const sets = sc.steps
    .flatMap((s) => s.statements)
    .filter((st) => st.kind === 'command' && st.argv[0] === 'SET' && /^k\d+$/.test(st.argv[1]!));
  const writes = sets.reduce((n, st) => n + (st.kind === 'command' ? respLen(st.argv) : 0), 0);

  it('the requested offset has fallen out of the 16 KB backlog when replica1 comes back', () => {
    expect(sets).toHaveLength(40);
    expect(writes).toBe(9 * 1030 + 31 * 1031);
    const lab = runUpTo(sc, 4); // the cut, the writes and the timeouts: not back yet
    const requested = 1 + SELECT0 + hset3 + 3 * PING;
    const offset = requested - 1 + writes + 6 * PING;
    const m = info(lab, 'master');
    expect(num(m.master_repl_offset)).toBe(offset);
    // Redis 7.0: 20 440-byte blocks from offset 1; the oldest is freed while the rest alone hold
    // more than repl-backlog-size.
    const BLOCK = 20440;
    let first = 1;
    while (offset - first + 1 - BLOCK > 16384 && offset >= first + BLOCK) first += BLOCK;
    expect(first).toBe(20441);
    expect(num(m.repl_backlog_first_byte_offset)).toBe(first);
    expect(num(m.repl_backlog_histlen)).toBe(offset - first + 1);
    expect(requested).toBeLessThan(first);
  });

  it('so the master answers +FULLRESYNC, and says why', () => {
    const lab = runScenario(sc).lab;
    const requested = 1 + SELECT0 + hset3 + 3 * PING;
    const id = info(lab, 'master').master_replid;
    expect(messages(lab, 'replica1')).toContain(
      `Trying a partial resynchronization (request ${id}:${requested}).`,
    );
    expect(messages(lab, 'master')).toContain(
      `Unable to partial resync with replica 192.168.157.146:6379 for lack of backlog (Replica request was: ${requested}).`,
    );
    expect(messages(lab, 'replica1')).toContain(
      `Full resync from master: ${id}:${requested - 1 + writes + 6 * PING}`,
    );
    expect(lab.sim.exec('replica1', ['STRLEN', 'k40'])).toEqual({ t: 'int', v: 1000 });
    expect(num(info(lab, 'master').repl_backlog_size)).toBe(1024 * 1024);
  });
});

describe('replid-mismatch', () => {
  const sc = load('replid-mismatch.lab');
  const offset = SELECT0 + respLen(command(sc, 'master', 'HSET', 'curso:3')) + PING;

  it('two masters at the same offset with different IDs: the offset fits, the ID does not', () => {
    const before = runUpTo(sc, 2);
    const m1 = info(before, 'master');
    const m2 = info(before, 'master2');
    expect(num(m1.master_repl_offset)).toBe(offset);
    expect(num(m2.master_repl_offset)).toBe(offset);
    expect(m1.master_replid).not.toBe(m2.master_replid);
    // The PSYNC range check alone would accept offset + 1 on master2.
    expect(num(m2.repl_backlog_first_byte_offset)).toBeLessThanOrEqual(offset + 1);

    const lab = runScenario(sc).lab;
    expect(messages(lab, 'replica1')).toContain(
      `Trying a partial resynchronization (request ${m1.master_replid}:${offset + 1}).`,
    );
    expect(messages(lab, 'master2')).toContain(
      `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${m1.master_replid}', my replication IDs are '${m2.master_replid}' and '${'0'.repeat(40)}')`,
    );
    expect(messages(lab, 'replica1')).toContain(
      `Full resync from master: ${m2.master_replid}:${offset}`,
    );
    // Back to master: master2's ID is now replica1's, and master does not know it.
    expect(messages(lab, 'master')).toContain(
      `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${m2.master_replid}', my replication IDs are '${m1.master_replid}' and '${'0'.repeat(40)}')`,
    );
    expect(info(lab, 'replica1').master_replid).toBe(m1.master_replid);
  });
});

describe('failover', () => {
  const sc = load('failover.lab');
  const inSync = SELECT0 + respLen(command(sc, 'master', 'HSET', 'curso:3')) + PING;

  it('replica1 keeps the old ID as replid2; replica2 continues from it; the old master cannot', () => {
    const before = runUpTo(sc, 3); // the master is cut off
    const oldId = info(before, 'master').master_replid;
    expect(num(info(before, 'replica1').master_repl_offset)).toBe(inSync);
    const lost = respLen(command(sc, 'master', 'SET', 'curso:5'));
    expect(num(info(before, 'master').master_repl_offset)).toBe(inSync + lost);

    const lab = runScenario(sc).lab;
    const r1 = info(lab, 'replica1');
    expect(r1.master_replid2).toBe(oldId);
    expect(num(r1.second_repl_offset)).toBe(inSync + 1);
    expect(info(lab, 'replica2').master_replid).toBe(r1.master_replid);
    expect(info(lab, 'replica2').master_replid2).toBe(oldId);
    const hset4 = SELECT0 + respLen(command(sc, 'replica1', 'HSET', 'curso:4'));
    expect(hset4).toBe(122);
    expect(messages(lab, 'replica1')).toContain(
      `Partial resynchronization request from 192.168.157.147:6379 accepted. Sending ${hset4} bytes of backlog starting from offset ${inSync + 1}.`,
    );
    expect(messages(lab, 'replica1')).toContain(
      `Partial resynchronization not accepted: Requested offset for second ID was ${inSync + lost + 1}, but I can reply up to ${inSync + 1}`,
    );
    expect(lab.sim.exec('master', ['GET', 'curso:5'])).toEqual({ t: 'bulk', v: null });
  });
});

describe('replica-restart', () => {
  const sc = load('replica-restart.lab');
  const inSync = SELECT0 + respLen(command(sc, 'master', 'HSET', 'curso:3')) + PING;
  const hset4 = respLen(command(sc, 'master', 'HSET', 'curso:4'));

  it('a restarted replica continues from its RDB; a restarted 7.0 master keeps its ID as replid2', () => {
    const before = runUpTo(sc, 3);
    const id = info(before, 'master').master_replid;
    const lab = runScenario(sc).lab;
    expect(messages(lab, 'replica1')).toContain(
      `Trying a partial resynchronization (request ${id}:${inSync + 1}).`,
    );
    // No SELECT: the replica restored the stream's db from its RDB, the master did not reset it.
    expect(messages(lab, 'master')).toContain(
      `Partial resynchronization request from 192.168.157.146:6379 accepted. Sending ${hset4} bytes of backlog starting from offset ${inSync + 1}.`,
    );
    const m = info(lab, 'master');
    expect(m.master_replid).not.toBe(id);
    expect(m.master_replid2).toBe(id);
    expect(num(m.master_repl_offset)).toBe(inSync + hset4);
    expect(num(m.second_repl_offset)).toBe(inSync + hset4 + 1);
    expect(messages(lab, 'master')).toContain(
      `Partial resynchronization request from 192.168.157.146:6379 accepted. Sending 0 bytes of backlog starting from offset ${inSync + hset4 + 1}.`,
    );
    expect(info(lab, 'replica1').master_replid).toBe(m.master_replid);
  });
});

describe('resync-loop', () => {
  const sc = load('resync-loop.lab');
  // Redis 7.0: blocks of 16 384 + 40 bytes asked of jemalloc, 20 480 given, 20 440 usable; a
  // replica's output buffer counts whole blocks from the one it references, plus 24 + 40 bytes of
  // list node and block header each (getClientOutputBufferMemoryUsage).
  const BLOCK = 20440;
  const COUNTED = BLOCK + 64;
  const LIMIT = 48 * 1024;
  const write = respLen(command(sc, 'master', 'SET', 'informe:1'));
  const burst = SELECT0 + 5 * write;
  const blocksAfter = (used: number, k: number): number => Math.ceil((used + k) / BLOCK);
  const drops = (lab: Lab) =>
    messages(lab, 'master').filter((m) =>
      m.endsWith('scheduled to be closed ASAP for overcoming of output buffer limits.'),
    );

  it('five 9 KB writes open a third block during the first sync: over 48 KB, dropped', () => {
    expect(write).toBe(9037);
    expect(burst).toBe(45208);
    // From an empty buffer (+FULLRESYNC 0): 4 writes fit in 2 blocks, the 5th opens the 3rd.
    expect(blocksAfter(0, SELECT0 + 4 * write)).toBe(2);
    expect(2 * COUNTED).toBeLessThan(LIMIT);
    expect(blocksAfter(0, burst)).toBe(3);
    expect(3 * COUNTED).toBe(61512);
    expect(3 * COUNTED).toBeGreaterThanOrEqual(LIMIT);
    const lab = runUpTo(sc, 2);
    expect(drops(lab)).toEqual([expect.stringContaining(` oll=3 omem=${3 * COUNTED} `)]);
    expect(messages(lab, 'master')).toContain('Connection with replica 192.168.157.146:6379 lost.');
    const m = info(lab, 'master');
    expect(num(m.master_repl_offset)).toBe(burst);
    // The 16 KB backlog frees its oldest block while the newer ones hold more than 16 384 bytes.
    let first = 1;
    while (burst - (first + BLOCK) + 1 > 16384) first += BLOCK;
    expect(first).toBe(20441);
    expect(num(m.repl_backlog_first_byte_offset)).toBe(first);
  });

  it('so replica1, back with its RDB at offset 0, asks for byte 1: gone, another full sync', () => {
    const lab = runUpTo(sc, 3);
    const id = info(lab, 'master').master_replid;
    expect(messages(lab, 'replica1')).toContain(
      `Trying a partial resynchronization (request ${id}:1).`,
    );
    expect(messages(lab, 'replica1')).toContain(`Full resync from master: ${id}:${burst}`);
  });

  it('the second sync ends the same way, and the third starts after a PING and the burst', () => {
    const lab = runUpTo(sc, 4);
    // The buffer starts in the block holding byte 45 209 (the third, 40 881 to 61 320).
    const used = burst - 2 * BLOCK;
    expect(blocksAfter(used, PING + SELECT0 + 4 * write)).toBe(2);
    expect(blocksAfter(used, PING + burst)).toBe(3);
    expect(drops(lab)).toHaveLength(2);
    expect(drops(lab)[1]).toContain(` oll=3 omem=${3 * COUNTED} `);
    const third = burst + PING + burst;
    expect(third).toBe(90430);
    const id = info(lab, 'master').master_replid;
    expect(messages(lab, 'master')).toContain(
      `Unable to partial resync with replica 192.168.157.146:6379 for lack of backlog (Replica request was: ${burst + 1}).`,
    );
    expect(messages(lab, 'replica1')).toContain(`Full resync from master: ${id}:${third}`);
    // Blocks from offset 1; the oldest kept is the one after which less than 16 384 bytes remain.
    let first = 1;
    while (third - (first + BLOCK) + 1 > 16384) first += BLOCK;
    expect(first).toBe(61321);
    expect(num(info(lab, 'master').repl_backlog_first_byte_offset)).toBe(first);
  });

  it('with a 1 MB backlog the 48 KB limit counts as 1 MB: the third sync completes', () => {
    const lab = runScenario(sc).lab;
    expect(drops(lab)).toHaveLength(2);
    // Five PINGs (every 10 s) while the last sync and its stream run: 135 708.
    const end = 90430 + burst + 5 * PING;
    expect(end).toBe(135708);
    const m = info(lab, 'master');
    const r = info(lab, 'replica1');
    expect(num(m.master_repl_offset)).toBe(end);
    expect(num(r.master_repl_offset)).toBe(end);
    expect(r.master_link_status).toBe('up');
    expect(lab.sim.exec('replica1', ['STRLEN', 'informe:5'])).toEqual({ t: 'int', v: 9000 });
  });

  it('without the fix, the third sync is dropped too, and a fourth full sync follows', () => {
    const fix = (st: Scenario['steps'][number]['statements'][number]) =>
      st.kind === 'command' && st.argv[0] === 'CONFIG' && st.argv[2] === 'repl-backlog-size';
    const steps = sc.steps.map((s) => ({ ...s, statements: s.statements.filter((x) => !fix(x)) }));
    const lab = runScenario({ ...sc, steps: steps.slice(0, 5) }).lab;
    expect(drops(lab)).toHaveLength(3);
    expect(messages(lab, 'master')).toContain(
      `Unable to partial resync with replica 192.168.157.146:6379 for lack of backlog (Replica request was: ${90430 + 1}).`,
    );
    // Only because the writes stop does that fourth one complete.
    expect(
      messages(lab, 'replica1').filter((m) => m.startsWith('Full resync from master')),
    ).toHaveLength(4);
  });
});

describe('free-play', () => {
  it('ends with replica1 in sync with the master', () => {
    const lab = runScenario(load('free-play.lab')).lab;
    const m = info(lab, 'master');
    const r = info(lab, 'replica1');
    expect(r.master_link_status).toBe('up');
    expect(r.master_replid).toBe(m.master_replid);
    expect(r.master_repl_offset).toBe(m.master_repl_offset);
  });
});

describe('backlog-overflow, twin run', () => {
  const sc = load('backlog-overflow.lab');
  it('with a 1 MB backlog the same cut ends in +CONTINUE, sending every byte missed', () => {
    const cmp = compareTwin(sc, sc.steps.length)!;
    const [small, large] = cmp.last;
    expect(small?.kind).toBe('full');
    expect(large?.kind).toBe('partial');
    // Missed: the 40 SETs of step 3 (1030 bytes for k1…k9, 1031 for k10…k40) and six PINGs.
    expect(large?.bytes).toBe(9 * 1030 + 31 * 1031 + 6 * PING);
    // The full resync's RDB is the one replica1's log says it received.
    const rdb = messages(runScenario(sc).lab, 'replica1')
      .map((m) => /receiving (\d+) bytes from master/.exec(m)?.[1])
      .filter(Boolean)
      .pop();
    expect(small?.bytes).toBe(Number(rdb));
  });
});

describe('the lesson catalog (the first load has only ids and titles)', () => {
  it('lists every lesson file once, with the titles its parser reads', async () => {
    const { LESSON_CATALOG, loadLesson } = await import('./index');
    expect(LESSON_CATALOG.map((c) => `${c.id}.lab`).sort()).toEqual(FILES);
    for (const c of LESSON_CATALOG) {
      const text = await loadLesson(c.id);
      expect(c.title, c.id).toEqual(parseScenario(text!).title);
    }
  });
});

describe('dual-channel, and its twin (a classic full sync)', () => {
  const sc = load('dual-channel.lab');
  const twin = twinOf(sc)!;
  const upTo = (x: Scenario, n: number) =>
    runScenario({ ...x, steps: x.steps.slice(0, n) }, { check: false }).lab;
  // The three writes of step 3, as the stream carries them: SELECT 0, two SETs and an INCR.
  const writes =
    SELECT0 +
    respLen(['SET', 'alumno:1', 'ana']) +
    respLen(['SET', 'alumno:2', 'luis']) +
    respLen(['INCR', 'visitas']);
  it('during the transfer the writes wait in the replica’s buffer, not in the primary’s', () => {
    const lab = upTo(sc, 3);
    const m = lab.sim.server('master');
    expect(m.master_repl_offset).toBe(writes);
    const main = m.slaves.find((r) => !r.rdbChannel)!;
    expect(main.replstate).toBe('bg_rdb_load');
    expect(main.sentOffset).toBe(writes);
    const r = info(lab, 'replica1');
    expect(r.master_sync_in_progress).toBe('1');
    // One 16 KB block (PROTO_REPLY_CHUNK_BYTES + its 16-byte header in jemalloc's 20480 class).
    expect(r.replicas_repl_buffer_size).toBe(String(20480 - 16));
  });
  it('in the twin run the primary holds them for the replica until the RDB has crossed', () => {
    const lab = upTo(twin, 3);
    const m = lab.sim.server('master');
    expect(m.master_repl_offset).toBe(writes);
    expect(m.slaves[0]!.sentOffset).toBe(0);
    expect(info(lab, 'replica1').replicas_repl_buffer_size).toBe('0');
  });
  it('the twin comparison: a full resync either way, answered +DUALCHANNELSYNC or +FULLRESYNC', () => {
    const cmp = compareTwin(sc, sc.steps.length)!;
    const [dual, classic] = cmp.last;
    expect(dual?.kind).toBe('full');
    expect(dual?.reply).toBe('+DUALCHANNELSYNC');
    expect(classic?.kind).toBe('full');
    expect(classic?.reply).toMatch(/^\+FULLRESYNC/);
    // The same RDB both ways (the eight values, 8265 bytes as the engine sizes it).
    expect(dual?.bytes).toBe(classic?.bytes);
  });
  it('asks before the first PSYNC: +DUALCHANNELSYNC is a full resync', () => {
    expect(runScenario(sc).transcript).toContain('ask resync replica1: full');
  });
  it('both end in sync, with the writes applied', () => {
    for (const x of [sc, twin]) {
      const lab = runScenario(x, { check: x === sc }).lab;
      // The writes, and the primary's PINGs since (every 10 s): both at the primary's offset.
      expect(info(lab, 'replica1').master_repl_offset).toBe(info(lab, 'master').master_repl_offset);
      expect(Number(info(lab, 'master').master_repl_offset) - writes).toBe(PING);
      expect(lab.sim.exec('replica1', ['GET', 'visitas'])).toEqual({ t: 'bulk', v: '1' });
    }
  });
});
