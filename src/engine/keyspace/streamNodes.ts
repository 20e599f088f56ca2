/**
 * A stream's nodes as Redis lays them out in listpacks (t_stream.c's streamAppendItem, and XDEL
 * and XTRIM flagging entries deleted): what XADD needs to know when a node is full, and what
 * rdbSize.ts counts for a full sync. The commands themselves are in streams.ts.
 */
import type { StreamIdText, StreamNode } from './db';

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

export type Id = [bigint, bigint];

export function idOf(t: StreamIdText): Id {
  const i = t.indexOf('-');
  return [BigInt(t.slice(0, i)), BigInt(t.slice(i + 1))];
}

export const live = (n: StreamNode): number => n.entries.filter((e) => !e.deleted).length;

export function sameFields(n: StreamNode, fields: ReadonlyArray<[string, string]>): boolean {
  return (
    fields.length === n.masterFields.length && fields.every(([f], i) => f === n.masterFields[i])
  );
}

/** The listpack elements of a node, as streamAppendItem and XDEL/XTRIM leave them. */
export function streamNodeElements(n: StreamNode): string[] {
  const master = idOf(n.master);
  const dead = n.entries.length - live(n);
  const out: string[] = [String(live(n)), String(dead), String(n.masterFields.length)];
  out.push(...n.masterFields, '0');
  for (const e of n.entries) {
    const id = idOf(e.id);
    const same = sameFields(n, e.fields);
    out.push(String((e.deleted ? FLAG_DELETED : 0) | (same ? FLAG_SAMEFIELDS : 0)));
    out.push(String(BigInt.asIntN(64, id[0] - master[0])));
    out.push(String(BigInt.asIntN(64, id[1] - master[1])));
    if (!same) out.push(String(e.fields.length));
    for (const [f, v] of e.fields) {
      if (!same) out.push(f);
      out.push(v);
    }
    out.push(String(same ? e.fields.length + 3 : 2 * e.fields.length + 4));
  }
  return out;
}
