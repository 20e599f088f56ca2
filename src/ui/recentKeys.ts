/**
 * A card's key list: the keys changed most recently first (the flash counters the engine's
 * keyspace events left, see EventView.flashes), then the others in the order given (key order).
 */

/** The flash counter of `key`, when it changed recently. */
export function flashOf(
  flashes: ReadonlyMap<string, number> | undefined,
  key: string,
): number | undefined {
  return flashes?.get(key);
}

/**
 * The first `limit` of `keys` in that order. One pass over the keys and a sort of the few that
 * flashed: a stream of writes leaves thousands of keys, and a card shows seven.
 */
export function recentFirst<K extends { readonly key: string }>(
  keys: readonly K[],
  flashes: ReadonlyMap<string, number> | undefined,
  limit: number,
): K[] {
  const flashed: K[] = [];
  const rest: K[] = [];
  for (const k of keys) {
    if (flashOf(flashes, k.key) !== undefined) flashed.push(k);
    else if (rest.length < limit) rest.push(k);
  }
  // Array#sort is stable: a key in two databases keeps its databases' order.
  flashed.sort((a, b) => flashOf(flashes, b.key)! - flashOf(flashes, a.key)!);
  return flashed.concat(rest).slice(0, limit);
}
