/**
 * The master's partial-resynchronization decision (replication.c masterTryPartialResynchronization)
 * as a pure function: the checks in Redis's order, each with the numbers that decided it.
 */
import { describePsyncReason, type PsyncCheck, type PsyncReason } from './events';

/** What the decision reads of the master. */
export interface PsyncMaster {
  readonly replid: string;
  readonly replid2: string;
  readonly second_replid_offset: number;
  readonly master_repl_offset: number;
  readonly backlog: { readonly offset: number; readonly histlen: number } | null;
}

export interface PsyncVerdict {
  readonly ok: boolean;
  readonly checks: PsyncCheck[];
  /** For an accepted PSYNC: the bytes of backlog sent (`psync_len`). */
  readonly psyncLen: number;
}

/**
 * The range check of masterTryPartialResynchronization: can the backlog serve a PSYNC from
 * `offset`? (`psync_offset >= repl_backlog->offset && psync_offset <= offset + histlen`.)
 */
export function backlogCovers(
  backlog: { readonly offset: number; readonly histlen: number } | null,
  offset: number,
): boolean {
  return backlog !== null && offset >= backlog.offset && offset <= backlog.offset + backlog.histlen;
}

export function masterTryPartialResynchronization(
  m: PsyncMaster,
  replid: string,
  psyncOffset: number,
): PsyncVerdict {
  const checks: PsyncCheck[] = [];
  const check = (id: PsyncCheck['id'], ok: boolean, reason: PsyncReason): void => {
    checks.push({ id, ok, reason, detail: describePsyncReason(reason) });
  };
  const asked = replid.toLowerCase();
  const idMatches = asked === m.replid;
  const id2Matches = asked === m.replid2 && psyncOffset <= m.second_replid_offset;
  if (!idMatches && !id2Matches) {
    if (replid === '?') check('replid', false, { k: 'no-replid' });
    else if (asked !== m.replid2)
      check('replid', false, { k: 'replid-mismatch', replid, id1: m.replid, id2: m.replid2 });
    else
      check('replid', false, {
        k: 'replid2-too-far',
        offset: psyncOffset,
        second: m.second_replid_offset,
      });
    return { ok: false, checks, psyncLen: 0 };
  }
  check(
    'replid',
    true,
    idMatches
      ? { k: 'replid-match' }
      : { k: 'replid2-match', offset: psyncOffset, second: m.second_replid_offset },
  );
  const b = m.backlog;
  check('backlog', !!b, { k: 'backlog', exists: !!b });
  if (!b) return { ok: false, checks, psyncLen: 0 };
  const last = b.offset + b.histlen;
  const inRange = backlogCovers(b, psyncOffset);
  check(
    'range',
    inRange,
    inRange
      ? { k: 'in-range', offset: psyncOffset, first: b.offset, last }
      : psyncOffset < b.offset
        ? { k: 'before-backlog', offset: psyncOffset, first: b.offset }
        : { k: 'after-backlog', offset: psyncOffset, last },
  );
  if (!inRange) return { ok: false, checks, psyncLen: 0 };
  // addReplyReplicationBacklog: histlen minus the bytes skipped before the requested offset.
  const psyncLen = b.histlen - (psyncOffset - b.offset);
  return { ok: true, checks, psyncLen };
}
