/**
 * Structural sharing for plain view data (objects, arrays, primitives): a rebuilt value keeps the
 * previous value's references wherever the two are equal, so zustand selectors that compare with
 * `Object.is` see no change, and React does not re-render, for the parts that did not change.
 * Nothing is allocated while the two values are equal.
 */

type Plain = Record<string, unknown>;

function isObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null;
}

function shareArray(prev: readonly unknown[], next: readonly unknown[]): readonly unknown[] {
  let out: unknown[] | null = prev.length === next.length ? null : [];
  for (let i = 0; i < next.length; i++) {
    const y = i < prev.length ? share(prev[i], next[i]) : next[i];
    if (out === null && y !== prev[i]) out = prev.slice(0, i);
    out?.push(y);
  }
  return out ?? prev;
}

function shareObject(prev: Plain, next: Plain): Plain {
  let out: Plain | null = null;
  let n = 0;
  for (const k in next) {
    n++;
    const y = share(prev[k], next[k]);
    if (out === null && y !== prev[k]) {
      out = {};
      for (const j in next) {
        if (j === k) break;
        out[j] = prev[j];
      }
    }
    if (out !== null) out[k] = y;
  }
  if (out !== null) return out;
  // Every key of `next` matched: equal unless `prev` has more keys.
  let m = 0;
  for (const _ in prev) m++;
  if (m === n) return prev;
  const fewer: Plain = {};
  for (const k in next) fewer[k] = prev[k];
  return fewer;
}

/** `next`, with every part equal to the same part of `prev` replaced by `prev`'s. */
export function share<T>(prev: T, next: T): T {
  if (Object.is(prev, next) || !isObject(prev) || !isObject(next)) return next;
  if (Array.isArray(prev) !== Array.isArray(next)) return next;
  if (Array.isArray(next)) return shareArray(prev as unknown as unknown[], next) as T;
  return shareObject(prev, next) as T;
}

/**
 * A rebuilt list whose items are shared with the previous item of the same identity (`id`), so an
 * insertion in the middle does not make every later item look new. The previous list itself when
 * every item and the order are unchanged.
 */
export function shareBy<T>(
  prev: readonly T[],
  next: readonly T[],
  id: (item: T) => string,
): readonly T[] {
  let old: Map<string, T> | null = null;
  let same = prev.length === next.length;
  const out = next.map((v, i) => {
    const key = id(v);
    const p = prev[i];
    let o: T | undefined;
    if (p !== undefined && id(p) === key) o = p;
    else {
      old ??= new Map(prev.map((x) => [id(x), x]));
      o = old.get(key);
    }
    const y = o === undefined ? v : share(o, v);
    if (y !== p) same = false;
    return y;
  });
  return same ? prev : out;
}

/**
 * True when `a` and `b` are the same, or objects (arrays) with the same fields (items), each the
 * same by `Object.is`: one level deep, as a selector's fresh object of store fields is compared.
 */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k]))
  );
}
