/**
 * The notice after "Skip to next event": where it stopped and how much simulated time it jumped,
 * so a skip never moves the clock on in silence. Pure: words in, text out.
 */
import { formatDurationMs, type SkipReport } from '../store';
import { shortId } from './wireLabels';

export interface SkipWords {
  readonly none: string;
  readonly bgsaveStart: string;
  readonly bgsaveEnd: string;
  readonly forReplication: string;
  readonly resynced: string;
  readonly linkUp: string;
  readonly linkDown: string;
  readonly partial: string;
  readonly full: string;
}

/** What the skip stopped at, in words (`→ replica1: PSYNC 742101f6… 15 → +CONTINUE`). */
export function skipWhat(r: SkipReport, w: SkipWords): string {
  const e = r.event;
  if (!e) return `→ ${w.none}`;
  switch (e.type) {
    case 'psync': {
      const reply = e.reply.split(' ')[0] ?? e.reply;
      return `→ ${e.replica}: PSYNC ${shortId(e.replid)} ${e.offset} → ${reply}`;
    }
    case 'resynced':
      return `→ ${e.replica}: ${w.resynced} (${e.kind === 'full' ? w.full : w.partial}, ${e.bytes} B)`;
    case 'bgsave':
      return e.phase === 'start'
        ? `→ ${e.server}: ${w.bgsaveStart}${e.purpose === 'replication' ? ` (${w.forReplication})` : ''}`
        : `→ ${e.server}: ${w.bgsaveEnd}`;
    case 'replState':
      if (e.after === 'connected') return `→ ${e.server}: ${w.linkUp}`;
      if (e.before === 'connected' || e.before === 'transfer')
        return `→ ${e.server}: ${w.linkDown}`;
      return `→ ${e.server}: repl_state ${e.before} → ${e.after}`;
    default:
      return `→ ${e.type}`;
  }
}

/** How far the clock jumped: `+6.1 s`. */
export function skipJump(r: SkipReport): string {
  return `+${formatDurationMs(r.to - r.from)}`;
}
