/**
 * What the panels read, against the engine: the why-panel's decision (first sync, one connection,
 * gone with its replica), the two kinds of cut and their repl-timeout countdowns, notices.
 */
import { describe, expect, it } from 'vitest';
import { selectTimeouts } from './selectors';
import { createLabStore, type LabStore } from './store';

function fresh(): LabStore {
  return createLabStore({ autoplay: false, seed: 7 });
}

function view(store: LabStore, name: string) {
  const v = store.getState().servers.find((s) => s.name === name);
  if (!v) throw new Error(`no view of ${name}`);
  return v;
}

function info(store: LabStore, name: string, field: string): string | undefined {
  return view(store, name).info.find(([k]) => k === field)?.[1];
}

describe('the why-panel’s decision', () => {
  it('the opening sync is a first sync: replica1 asked with its own replication ID', () => {
    const store = fresh();
    const s = () => store.getState();
    // Before its PSYNC the replica still has the replication ID it was born with.
    const own = view(store, 'replica1').replid;
    expect(s().psync['replica1']).toBeUndefined();
    s().applyStatement('wait 12s');
    const d = s().psync['replica1'];
    expect(d?.result).toBe('fullresync');
    expect(d?.replid).toBe(own);
    expect(d?.checks[0]?.reason.k).toBe('replid-mismatch');
    expect(d?.firstSync).toBe(true);
    expect(d?.endedAt).toBeNull();
    // After the sync it took the master's ID: its own is gone.
    expect(view(store, 'replica1').replid).toBe(view(store, 'master').replid);
  });

  it('a full resync after the backlog overflowed is no first sync', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().consoleSubmit('master', 'CONFIG SET repl-backlog-size 16384');
    s().resetConnection('replica1');
    expect(s().psync['replica1']?.endedAt).not.toBeNull();
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 40; i++) s().consoleSubmit('master', `SET k${i} ${big}`);
    s().restoreNetwork('replica1');
    s().applyStatement('wait 5s');
    const d = s().psync['replica1'];
    expect(d?.result).toBe('fullresync');
    expect(d?.firstSync).toBe(false);
    expect(d?.endedAt).toBeNull();
  });

  it('a promoted replica that comes back asks with its new ID: no first sync either', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().promote('replica1');
    expect(s().psync['replica1']?.endedAt).not.toBeNull();
    s().consoleSubmit('replica1', 'SET mine 1');
    s().consoleSubmit('replica1', 'REPLICAOF 192.168.157.144 6379');
    s().applyStatement('wait 5s');
    const d = s().psync['replica1'];
    expect(d?.result).toBe('fullresync');
    expect(d?.firstSync).toBe(false);
  });

  it('a removed replica leaves no decision behind', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().addReplica();
    s().applyStatement('wait 5s');
    expect(s().psync['replica2']?.firstSync).toBe(true);
    expect(s().lastPsync?.replica).toBe('replica2');
    s().removeReplica('replica2');
    expect(s().psync['replica2']).toBeUndefined();
    expect(s().costs['replica2']).toBeUndefined();
    expect(s().lastPsync?.replica).toBe('replica1');
  });
});

describe('the two kinds of cut', () => {
  it('a short stop: TCP retransmits the write once the interface is back, no resync', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    const decided = s().psync['replica1'];
    s().cutNetwork('replica1');
    expect(view(store, 'replica1').net).toBe('stopped');
    s().consoleSubmit('master', 'SET during cut');
    s().applyStatement('wait 6s');
    expect(view(store, 'replica1').keys.some((k) => k.key === 'during')).toBe(false);
    // Both ends count down to repl-timeout meanwhile.
    const t = selectTimeouts(s());
    expect(t.map((x) => [x.side, x.replica])).toEqual([
      ['master', 'replica1'],
      ['replica', 'replica1'],
    ]);
    for (const x of t) {
      expect(x.timeout).toBe(60);
      expect(x.at).toBeGreaterThan(s().getNow() + 50_000);
      expect(x.at).toBeLessThanOrEqual(s().getNow() + 60_000);
    }
    s().restoreNetwork('replica1');
    expect(view(store, 'replica1').net).toBe('up');
    expect(selectTimeouts(s())).toEqual([]);
    s().applyStatement('wait 3s');
    expect(view(store, 'replica1').keys.some((k) => k.key === 'during')).toBe(true);
    expect(view(store, 'replica1').offset).toBe(view(store, 'master').offset);
    expect(view(store, 'replica1').link).toBe('online');
    // The same connection: no new PSYNC, the decision is still the first one.
    expect(s().psync['replica1']).toBe(decided);
    expect(info(store, 'master', 'connected_slaves')).toBe('1');
  });

  it('a long stop: both ends time out at their countdown, then a partial resync', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().cutNetwork('replica1');
    s().consoleSubmit('master', 'SET during cut');
    const t = selectTimeouts(s());
    const master = t.find((x) => x.side === 'master')!;
    const replica = t.find((x) => x.side === 'replica')!;
    s().advance(replica.at - s().getNow() - 1);
    expect(s().logs['replica1']?.some((l) => l.text.includes('MASTER timeout'))).toBe(false);
    s().advance(1);
    expect(s().logs['replica1']?.some((l) => l.text.includes('MASTER timeout'))).toBe(true);
    s().advance(master.at - s().getNow() - 1);
    expect(s().logs['master']?.some((l) => l.text.includes('Disconnecting timedout'))).toBe(false);
    s().advance(1);
    expect(s().logs['master']?.some((l) => l.text.includes('Disconnecting timedout'))).toBe(true);
    expect(s().psync['replica1']?.endedAt).not.toBeNull();
    s().restoreNetwork('replica1');
    // Its interface back, the replica connects at its next cron (once a second): a handshake of
    // four round trips of 800 ms.
    s().applyStatement('wait 6s');
    const d = s().psync['replica1'];
    expect(d?.result).toBe('continue');
    expect(d?.endedAt).toBeNull();
    expect(view(store, 'replica1').keys.some((k) => k.key === 'during')).toBe(true);
  });

  it('a reset connection: both ends are told at once, no countdown', () => {
    const store = fresh();
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().resetConnection('replica1');
    expect(view(store, 'replica1').net).toBe('down');
    expect(selectTimeouts(s())).toEqual([]);
    expect(s().toggleNetwork('replica1').ok).toBe(true);
    expect(view(store, 'replica1').net).toBe('up');
    expect(s().toggleNetwork('replica1').ok).toBe(true);
    expect(view(store, 'replica1').net).toBe('stopped');
  });
});

describe('notices', () => {
  it('go with the next intention, a language change or a reset; can be dismissed', () => {
    const store = fresh();
    const s = () => store.getState();
    s().addReplica();
    s().addReplica();
    s().addReplica();
    expect(s().notice).toMatchObject({ code: 'maxReplicas', error: true });
    s().writeKey();
    expect(s().notice).toBeNull();
    s().addReplica();
    s().setLang('es');
    expect(s().notice).toBeNull();
    s().addReplica();
    const id = s().notice?.id ?? -1;
    s().dismissNotice(id + 1);
    expect(s().notice?.id).toBe(id);
    s().dismissNotice(id);
    expect(s().notice).toBeNull();
    s().addReplica();
    s().reset();
    expect(s().notice).toBeNull();
  });

  it('the opening scene’s statements are counted, so the UI knows what a reset throws away', () => {
    const store = fresh();
    const s = () => store.getState();
    const scene = s().sceneStatements;
    expect(scene).toBeGreaterThan(0);
    expect(s().history.length).toBe(scene);
    s().writeKey();
    expect(s().history.length).toBeGreaterThan(scene);
    s().reset();
    expect(s().history.length).toBe(scene);
  });
});
