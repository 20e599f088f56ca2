/**
 * Which server a conformance run talks to: Debian's redis-server 7.0 by default, or any binary
 * given with `--server PATH` (a Redis or Valkey built from its tag; docs/versions.md says how).
 * Its `--version` line names the product and version, which pick the engine's dialect and the
 * folder its recorded observations go to (`recorded/<product>-<x.y.z>/`).
 */
import { execFileSync } from 'node:child_process';
import type { Version } from '../../src/engine/types';
import { VERSIONS } from '../../src/engine/dialect';

export interface ServerBinary {
  /** The path (or command name) that starts it. */
  readonly path: string;
  /** Its `--version` line, e.g. `Redis server v=5.0.14 sha=00000000:0 malloc=libc bits=64 build=…`. */
  readonly line: string;
  readonly product: 'redis' | 'valkey';
  /** `5.0.14`, `8.0.1`. */
  readonly release: string;
  /** The engine dialect it calls for (`5.0`, `valkey-8.0`), whether or not the engine speaks it. */
  readonly version: string;
  /** That dialect, when the engine speaks it. */
  readonly dialect: Version | null;
  /** The folder name of its recordings: `redis-5.0.14`, `valkey-8.0.1`. */
  readonly label: string;
}

/** Parses a `--version` line; null when it is neither Redis's nor Valkey's. */
export function parseVersionLine(line: string): Omit<ServerBinary, 'path'> | null {
  const m = /^(Redis|Valkey) server v=(\d+)\.(\d+)\.(\d+)\b/.exec(line.trim());
  if (!m) return null;
  const product = m[1] === 'Redis' ? 'redis' : 'valkey';
  const release = `${m[2]}.${m[3]}.${m[4]}`;
  const minor = `${m[2]}.${m[3]}`;
  const wanted = product === 'redis' ? minor : `valkey-${minor}`;
  const dialect = (VERSIONS as readonly string[]).includes(wanted) ? (wanted as Version) : null;
  return {
    line: line.trim(),
    product,
    release,
    version: wanted,
    dialect,
    label: `${product}-${release}`,
  };
}

/** Runs `PATH --version`; throws with what to do when it is not a Redis or Valkey server. */
export function probeServer(binary: string): ServerBinary {
  let out: string;
  try {
    out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10000 });
  } catch (e) {
    throw new Error(
      `cannot run ${binary} --version; give --server the path of a built redis-server or valkey-server`,
      { cause: e },
    );
  }
  const parsed = parseVersionLine(out);
  if (!parsed)
    throw new Error(`${binary} --version printed "${out.trim()}": not a Redis or Valkey server`);
  return { path: binary, ...parsed };
}
