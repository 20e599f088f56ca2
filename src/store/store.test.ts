/**
 * The store without a view: every intention is a lab statement, and what the panels read (server
 * views, PSYNC decisions, costs, consoles) follows the engine. Expected numbers are RESP
 * arithmetic done by hand.
 */
import { describe, expect, it } from 'vitest';
import { KEY_LIST_EVERY_FRAMES } from './constants';
import { createLabStore, type LabStore } from './store';

function fresh(): LabStore {
  return createLabStore({ autoplay: false, seed: 7 });
}

function view(store: LabStore, name: string) {
  const v = store.getState().servers.find((s) => s.name === name);
  if (!v) throw new Error(`no view of ${name}`);
  return v;
}

function consoleText(store: LabStore, server: string): string[] {
  return (store.getState().consoles[server] ?? []).map((e) => `${e.kind}: ${e.text}`);
}

// HSET curso:4 nombre "Curso de introducción a docker" duration 30, as RESP:
// *6\r\n (4) $4\r\nHSET\r\n (10) $7\r\ncurso:4\r\n (13) $6\r\nnombre\r\n (12)
// $31\r\n + 31 bytes (ó is two) + \r\n (38) $8\r\nduration\r\n (14) $2\r\n30\r\n (8) = 99.
const HSET_CURSO_4 = 'HSET curso:4 nombre "Curso de introducción a docker" duration 30';
const HSET_BYTES = 99;
// The first write after a full sync is preceded by SELECT 0: *2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n.
const SELECT_0_BYTES = 4 + 12 + 7;

describe('the store tells the seed story', () => {
  it('first sync is a full resync: the replica has never seen this master', () => {
    const store = fresh();
    // Past the master's PING at 10 s (14 bytes, 400 ms on the wire) so nothing is in flight.
    store.getState().applyStatement('wait 12s');
    const r = view(store, 'replica1');
    const m = view(store, 'master');
    expect(r.link).toBe('online');
    expect(r.role).toBe('replica');
    expect(r.masterName).toBe('master');
    expect(r.replid).toBe(m.replid);
    expect(r.offset).toBe(m.offset);
    // The keys written before REPLICAOF arrived in the RDB.
    expect(r.keys.map((k) => k.key).sort()).toEqual(['alumnos', 'curso:1', 'curso:2']);

    const d = store.getState().psync['replica1'];
    expect(d?.result).toBe('fullresync');
    expect(d?.checks[0]?.id).toBe('replid');
    expect(d?.checks[0]?.ok).toBe(false);
    expect(d?.reply).toMatch(new RegExp(`^\\+FULLRESYNC ${m.replid} \\d+$`));
    expect(store.getState().costs['replica1']?.kind).toBe('full');
  });

  it('a cut, a write, a restore: a partial resync of exactly the missed bytes', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    const before = view(store, 'master').offset;
    expect(view(store, 'replica1').offset).toBe(before);
    expect(s().resetConnection('replica1').ok).toBe(true);
    expect(view(store, 'replica1').net).toBe('down');
    expect(s().consoleSubmit('master', HSET_CURSO_4).ok).toBe(true);
    expect(view(store, 'master').offset).toBe(before + SELECT_0_BYTES + HSET_BYTES);
    s().applyStatement('wait 5s');
    expect(view(store, 'replica1').offset).toBe(before);
    expect(s().restoreNetwork('replica1').ok).toBe(true);
    s().applyStatement('wait 5s');

    const m = view(store, 'master');
    const r = view(store, 'replica1');
    expect(r.link).toBe('online');
    expect(r.offset).toBe(m.offset);
    expect(r.keys.some((k) => k.key === 'curso:4')).toBe(true);
    const d = s().psync['replica1'];
    expect(d?.result).toBe('continue');
    expect(d?.offset).toBe(before + 1);
    expect(d?.checks.map((c) => [c.id, c.ok])).toEqual([
      ['replid', true],
      ['backlog', true],
      ['range', true],
    ]);
    // `net down` resets both ends at once: the master had no replica to PING during the cut.
    expect(d?.bytes).toBe(SELECT_0_BYTES + HSET_BYTES);
    expect(s().costs['replica1']).toMatchObject({ kind: 'partial', bytes: 122 });
  });
});

describe('a long wait', () => {
  it('reaches the views in parts of an hour, and ends where hours one by one end', () => {
    const store = fresh();
    const other = fresh();
    // The master PINGs its replica every 10 s (repl-ping-replica-period): 14 bytes each
    // (*1\r\n$4\r\nPING\r\n), so an online pair's offset grows 8,640 × 14 bytes a day.
    store.getState().applyStatement('wait 12s');
    other.getState().applyStatement('wait 12s');
    const start = view(store, 'master').offset;
    const offsets: number[] = [];
    const stop = store.subscribe((s, prev) => {
      if (s.servers !== prev.servers) offsets.push(view(store, 'master').offset);
    });
    expect(store.getState().consoleSubmit('master', 'wait 1440m').ok).toBe(true);
    stop();
    for (let h = 0; h < 24; h++) other.getState().applyStatement('wait 60m');
    // One fold per hour (the last at the end): the day's events never wait in one heap.
    expect(offsets).toHaveLength(24);
    // An hour is 360 pings: 5,040 bytes.
    expect(offsets[0]! - start).toBe(360 * 14);
    expect(view(store, 'master').offset - start).toBe(8640 * 14);
    expect(view(store, 'replica1').offset).toBe(view(store, 'master').offset);
    expect(JSON.stringify(store.getState().servers)).toBe(JSON.stringify(other.getState().servers));
  });
});

describe('bad input', () => {
  it("gets Redis's own words and changes nothing", () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 10s');
    const servers = JSON.stringify(s().servers);
    const statements = s().history.length;

    expect(s().consoleSubmit('master', 'SET onlykey').ok).toBe(false);
    expect(s().consoleSubmit('master', 'FOO bar').ok).toBe(false);
    expect(s().consoleSubmit('master', 'SET "unbalanced').ok).toBe(false);
    expect(s().consoleSubmit('master', 'net nobody down').ok).toBe(false);
    const lines = consoleText(store, 'master');
    expect(lines).toContain("error: (error) ERR wrong number of arguments for 'set' command");
    expect(lines).toContain(
      "error: (error) ERR unknown command 'FOO', with args beginning with: 'bar' ",
    );
    expect(lines.some((l) => l.startsWith('error: (lab error)') && l.includes('nobody'))).toBe(
      true,
    );
    expect(JSON.stringify(s().servers)).toBe(servers);
    // Redis ran the two commands (and replied with an error): they stay in the run's script, so
    // a replay shows the same errors. The two lab errors were never applied.
    expect(s().history.texts(statements)).toEqual(['master SET onlykey', 'master FOO bar']);
  });

  it('a fourth replica is refused with a notice, and no server appears', () => {
    const store = fresh();
    const s = () => store.getState();
    expect(s().addReplica().ok).toBe(true);
    expect(s().addReplica().ok).toBe(true);
    expect(s().servers.map((v) => v.name)).toEqual(['master', 'replica1', 'replica2', 'replica3']);
    expect(s().addReplica().ok).toBe(false);
    expect(s().notice?.error).toBe(true);
    expect(s().servers).toHaveLength(4);
  });
});

describe('determinism and reset', () => {
  it('the same seed and the same intentions give the same views', () => {
    const run = () => {
      const store = fresh();
      const s = () => store.getState();
      s().applyStatement('wait 8s');
      s().writeKey();
      s().addReplica();
      for (let i = 0; i < 50; i++) s().step();
      s().cutNetwork('replica1');
      s().writeKey();
      s().skipToNext();
      return JSON.stringify([s().servers, s().psync, s().costs, s().getNow()]);
    };
    expect(run()).toBe(run());
  });

  it('reset goes back to the opening scene', () => {
    const store = fresh();
    const s = () => store.getState();
    const opening = JSON.stringify(s().servers);
    const openingStatements = s().history.texts();
    s().applyStatement('wait 10s');
    s().writeKey();
    s().consoleSubmit('master', 'SET x 1');
    expect(JSON.stringify(s().servers)).not.toBe(opening);
    s().reset();
    expect(JSON.stringify(s().servers)).toBe(opening);
    expect(s().history.texts()).toEqual(openingStatements);
    expect(s().getNow()).toBe(fresh().getState().getNow());
  });
});

describe('views follow the engine without rebuilding what did not change', () => {
  it('a write on the master while the replica is cut leaves the replica’s view the same object', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().cutNetwork('replica1');
    s().applyStatement('wait 2s');
    const before = s().servers;
    s().consoleSubmit('master', 'SET x 1');
    const after = s().servers;
    expect(after).not.toBe(before);
    expect(view(store, 'master')).not.toBe(before[0]);
    expect(view(store, 'replica1')).toBe(before[1]);
  });

  it('an ACK reaching the master shows in its view, though the engine sends no event for it', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().writeKey();
    const target = view(store, 'master').offset;
    // The replica acknowledges once a second (replicationCron): wait for an ACK of the write.
    let ack = s().messages.find((m) => m.kind === 'ACK' && m.label.endsWith(` ${target}`));
    for (let i = 0; i < 3000 && !ack; i++) {
      s().advance(1);
      ack = s().messages.find((m) => m.kind === 'ACK' && m.label.endsWith(` ${target}`));
    }
    if (!ack) throw new Error('no ACK on the wire');
    expect(view(store, 'master').replicas[0]?.ackOffset).toBeLessThan(target);
    s().advance(ack.arriveAt - s().getNow());
    expect(view(store, 'master').replicas[0]?.ackOffset).toBe(target);
  });
});

describe('the console', () => {
  it('takes lab directives as well as Redis commands', () => {
    const store = fresh();
    const s = () => store.getState();
    const t0 = s().getNow();
    expect(s().consoleSubmit('master', 'wait 2s').ok).toBe(true);
    expect(s().getNow()).toBe(t0 + 2000);
    expect(consoleText(store, 'master').at(-1)).toMatch(/^output: \(lab\) wait /);
    expect(s().consoleSubmit('replica1', 'net replica1 down').ok).toBe(true);
    expect(view(store, 'replica1').net).toBe('down');
  });
});

describe('the version selector', () => {
  it('runs the opening scene again as the chosen server: 5.0 logs its own lines and RDB format', () => {
    const store = fresh();
    store.getState().setVersion('5.0');
    expect(store.getState().version).toBe('5.0');
    store.getState().applyStatement('wait 12s');
    const info = store.getState().applyStatement('master INFO server');
    expect(JSON.stringify(info)).toContain('redis_version:5.0.14');
    // 5.0's replica asks its master for the RDB on disk (5.0's default), and says so in 5.0's words.
    const log =
      store
        .getState()
        .logs['master']?.map((l) => l.text ?? l)
        .join('\n') ?? '';
    expect(String(log)).toContain('Starting BGSAVE for SYNC with target: disk');
    expect(String(log)).toContain('RDB: 0 MB of memory used by copy-on-write');
  });

  it('keeps a lesson at its step when the version changes', () => {
    const store = fresh();
    store.getState().openLesson('partial-resync', 2);
    store.getState().setVersion('6.2');
    expect(store.getState().lesson?.id).toBe('partial-resync');
    expect(store.getState().lessonStep).toBe(2);
    expect(store.getState().version).toBe('6.2');
  });
});

describe('a lesson written for 7.0, played as another version', () => {
  it('plays to the end without a quote error, its view saying it names no version', () => {
    const store = fresh();
    store.getState().setVersion('5.0');
    store.getState().openLesson('partial-resync');
    const steps = store.getState().lesson!.steps.length;
    store.getState().goToStep(steps);
    expect(store.getState().lessonStep).toBe(steps);
    expect(store.getState().lessonError).toBeNull();
    expect(store.getState().lesson?.version).toBeNull();
    // 5.0's words in the master's log where 7.0 says "(streaming sync)".
    const log = (store.getState().logs['master'] ?? []).map((l) => String(l.text ?? l)).join('\n');
    expect(log).toContain('Disconnecting timedout replica: ');
    expect(log).not.toContain('(streaming sync)');
  });
});

describe('while playing, the views follow once per frame', () => {
  // A write of `SET k v` at offset N: *3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n = 4 + 9 + 7 + 7 = 27
  // bytes (after the SELECT 0 of the first write after the sync).
  it('twenty writes in one frame rebuild the server views once, at the tick', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    const before = view(store, 'master').offset;
    s().play();
    let rebuilt = 0;
    const unsub = store.subscribe((n, p) => {
      if (n.servers !== p.servers) rebuilt++;
    });
    for (let i = 0; i < 20; i++) expect(s().applyStatement('master SET k v').ok).toBe(true);
    // Nothing rebuilt yet: the views wait for the frame.
    expect(rebuilt).toBe(0);
    expect(view(store, 'master').offset).toBe(before);
    s().tick(0);
    unsub();
    expect(rebuilt).toBe(1);
    expect(view(store, 'master').offset).toBe(before + SELECT_0_BYTES + 20 * 27);
  });

  it('a pause brings the views up to date without a tick', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    const before = view(store, 'master').offset;
    s().play();
    s().applyStatement('master SET k v');
    s().pause();
    expect(view(store, 'master').offset).toBe(before + SELECT_0_BYTES + 27);
  });

  it('adding a replica counts the replicas an earlier intention of the frame added', () => {
    const store = fresh();
    const s = () => store.getState();
    s().play();
    // One replica in the scene; MAX_REPLICAS is 3: the third call is refused, not a fourth replica.
    expect(s().addReplica().ok).toBe(true);
    expect(s().addReplica().ok).toBe(true);
    expect(s().addReplica().ok).toBe(false);
    s().pause();
    expect(s().servers.map((v) => v.name)).toEqual(['master', 'replica1', 'replica2', 'replica3']);
  });
});

describe('exporting a run longer than the timeline keeps', () => {
  it('says so on screen, with how many statements are gone, and exports nothing', async () => {
    const store = createLabStore({
      autoplay: false,
      seed: 7,
      maxHistory: 40,
      checkpointEveryMs: 1_000,
    });
    const s = () => store.getState();
    // A write every 100 ms for 15 s: 150 statements, checkpoints to forget up to.
    for (let i = 0; i < 150; i++) {
      s().advance(100);
      s().applyStatement(`master SET k${i % 5} v`);
    }
    const gone = s().history.start;
    expect(gone).toBeGreaterThan(0);
    await expect(s().reproduceOnRedis()).rejects.toThrow(/too long to export/);
    expect(s().notice?.code).toBe('exportTooLong');
    expect(s().notice?.text).toBe(String(gone));
    expect(s().notice?.error).toBe(true);
  });
});

describe('key lists while playing', () => {
  it('are rebuilt every KEY_LIST_EVERY_FRAMES frames or soon after, and at once on a pause', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    const keysOf = () => view(store, 'master').keys.map((k) => k.key);
    s().play();
    s().tick(16);
    // The frame counter's phase: tick until a frame rebuilds (a write right after one waits
    // for the next rebuild, KEY_LIST_EVERY_FRAMES frames later).
    s().consoleSubmit('master', 'SET phase 1');
    let frames = 0;
    while (!keysOf().includes('phase') && frames < 20) {
      s().tick(16);
      frames++;
    }
    expect(keysOf()).toContain('phase');
    s().consoleSubmit('master', 'SET later 1');
    for (let i = 1; i < KEY_LIST_EVERY_FRAMES; i++) {
      s().tick(16);
      expect(keysOf(), `frame ${i}`).not.toContain('later');
    }
    // Due now; a frame rebuilds one server's list, so the replica's may go first.
    s().tick(16);
    if (!keysOf().includes('later')) s().tick(16);
    expect(keysOf()).toContain('later');
    // A write then a pause: the pause settles the lists without waiting for a frame.
    s().consoleSubmit('master', 'SET paused 1');
    s().tick(16);
    expect(keysOf()).not.toContain('paused');
    s().pause();
    expect(keysOf()).toContain('paused');
  });

  it('are rebuilt one server a frame, each at most every KEY_LIST_EVERY_FRAMES frames', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().play();
    s().tick(16);
    // Whose list each frame rebuilt: the servers whose key list is a new array.
    const rebuilt: string[][] = [];
    let before = s().servers;
    for (let f = 0; f < 60; f++) {
      s().writeKey();
      s().tick(16);
      const now = s().servers;
      rebuilt.push(
        now
          .filter((v) => before.find((b) => b.name === v.name)?.keys !== v.keys)
          .map((v) => v.name),
      );
      before = now;
    }
    expect(rebuilt.every((names) => names.length <= 1)).toBe(true);
    for (const name of ['master', 'replica1']) {
      const at = rebuilt.flatMap((names, f) => (names.includes(name) ? [f] : []));
      // A write every frame: each server's list is rebuilt, never twice within the pace.
      expect(at.length, name).toBeGreaterThan(5);
      for (let i = 1; i < at.length; i++)
        expect(at[i]! - at[i - 1]!, name).toBeGreaterThanOrEqual(KEY_LIST_EVERY_FRAMES);
    }
  });
});

describe("the store's set", () => {
  it('merges as zustand does: partial objects, updaters, replace, and no change for the same state', () => {
    const store = fresh();
    const heard: number[] = [];
    const off = store.subscribe((s) => heard.push(s.writeCount));
    const before = store.getState();
    store.setState({ writeCount: 5 });
    expect(store.getState().writeCount).toBe(5);
    // Every other field is kept, actions included.
    expect(store.getState().servers).toBe(before.servers);
    expect(store.getState().writeKey).toBe(before.writeKey);
    store.setState((s) => ({ writeCount: s.writeCount + 2 }));
    expect(store.getState().writeCount).toBe(7);
    // An updater that gives back the state itself changes nothing and tells nobody.
    store.setState((s) => s);
    expect(heard).toEqual([5, 7]);
    // replace: the given state as it is.
    const whole = { ...store.getState(), writeCount: 1 };
    store.setState(whole, true);
    expect(store.getState()).toBe(whole);
    expect(heard).toEqual([5, 7, 1]);
    off();
  });

  it('a subscriber that throws as an intention ends leaves the next ones working', () => {
    const store = fresh();
    let fail = true;
    const off = store.subscribe(() => {
      if (fail) {
        fail = false;
        throw new Error('a buggy panel');
      }
    });
    // (A line redis-cli cannot split: its echo and error are set when the intention ends.)
    expect(() => store.getState().consoleSubmit('master', 'SET "x')).toThrow('a buggy panel');
    const n = store.getState().writeCount;
    store.getState().writeKey();
    expect(store.getState().writeCount).toBe(n + 1);
    store.getState().consoleSubmit('master', 'SET after 1');
    expect(store.getState().consoles['master']!.at(-1)?.text).toBe('OK');
    // Another line that cannot be split: its echo and error reach the console.
    store.getState().consoleSubmit('master', 'SET "y');
    expect(
      store
        .getState()
        .consoles['master']!.slice(-2)
        .map((e) => e.text),
    ).toEqual([expect.stringContaining('SET "y'), 'Invalid argument(s)']);
    off();
  });
});
