/**
 * Views rebuilt for a moment from an engine snapshot of that moment and the event journal: what
 * time travel will do. Compared with what the store showed at that moment.
 */
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../engine/events';
import { EventJournal } from './journal';
import { EMPTY_EVENT_VIEW, foldEvents, type EventView } from './projection';
import { LabRuntime } from './runtime';
import { buildLogs, buildServerViews } from './serverViews';
import type { LabState } from './state';
import { createLabStore } from './store';

function eventView(s: LabState): EventView {
  const { messages, psync, lastPsync, costs, flashes, flashSeq, growth, synced, masterIds } = s;
  return { messages, psync, lastPsync, costs, flashes, flashSeq, growth, synced, masterIds };
}

describe('rebuilding the views of a past moment', () => {
  it('from its snapshot and the journal, equal to what the store showed then', () => {
    const rt = new LabRuntime(7);
    const store = createLabStore({ autoplay: false }, rt);
    const s = () => store.getState();
    s().applyStatement('wait 12s');
    s().resetConnection('replica1');
    s().consoleSubmit('master', 'SET a 1');
    s().applyStatement('wait 1s');
    const snapshot = rt.sim?.snapshot();
    if (!snapshot) throw new Error('no engine');
    const then = s();
    expect(then.psync['replica1']?.result).toBe('fullresync');

    s().restoreNetwork('replica1');
    s().applyStatement('wait 5s');
    s().writeKey();
    s().applyStatement('wait 3s');
    expect(s().psync['replica1']?.result).toBe('continue');
    expect(s().servers).not.toEqual(then.servers);

    expect(buildServerViews(snapshot)).toEqual(then.servers);
    expect(buildLogs(snapshot)).toEqual(then.logs);
    expect(rt.journal.viewAt(snapshot.now)).toEqual(eventView(then));
    // And the present, the same way.
    const present = rt.sim?.snapshot();
    if (!present) throw new Error('no engine');
    expect(buildServerViews(present)).toEqual(s().servers);
    expect(rt.journal.viewAt(present.now)).toEqual(eventView(s()));
  });
});

describe('EventJournal', () => {
  const offset = (i: number): SimEvent => ({
    type: 'offset',
    server: 'master',
    before: i * 10,
    after: i * 10 + 10,
    at: i * 100,
  });
  const message = (i: number): SimEvent => ({
    type: 'message',
    id: i,
    conn: 1,
    from: 'master',
    to: 'replica1',
    kind: 'STREAM',
    label: `SET k${i} v`,
    bytes: 10,
    sendAt: i * 100,
    finishAt: i * 100 + 10,
    arriveAt: i * 100 + 150,
  });

  it('keeps only what the views read', () => {
    const j = new EventJournal();
    j.record({ type: 'log', server: 'master', line: 'x', at: 0 });
    j.record(offset(1));
    expect(j.size).toBe(1);
  });

  it('folds its oldest half into a base past its limit, and rebuilds the same views', () => {
    const events: SimEvent[] = [];
    for (let i = 1; i <= 25; i++) events.push(offset(i), message(i));
    const j = new EventJournal(10);
    for (const e of events) j.record(e);
    expect(j.size).toBeLessThanOrEqual(10);
    expect(j.since).toBeGreaterThan(0);
    expect(j.viewAt(2550)).toEqual(foldEvents(EMPTY_EVENT_VIEW, events, 2550));
    // A moment before the end: the later events are left out.
    expect(j.viewAt(2420)).toEqual(
      foldEvents(
        EMPTY_EVENT_VIEW,
        events.filter(
          (e) => (e.type === 'message' ? e.sendAt : e.type === 'offset' ? e.at : 0) <= 2420,
        ),
        2420,
      ),
    );
    // In flight at 2420: messages sent at 2300 (arrives 2450) and 2400 (arrives 2550).
    expect(j.viewAt(2420).messages.map((m) => m.id)).toEqual([23, 24]);
  });
});
