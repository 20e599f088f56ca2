import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockedMs, shutdownWaitMs } from './real';

// The real side's script clock must count what the engine counts: the lab runs the simulation
// until a blocked WAIT replies, so a WAIT that timed out took its timeout.
describe('blockedMs', () => {
  it('is the timeout of a WAIT that timed out', () => {
    expect(blockedMs(['WAIT', '3', '500'], { t: 'int', v: 2 })).toBe(500);
    expect(blockedMs(['wait', '2', '100'], { t: 'int', v: 1 })).toBe(100);
  });

  it('is 0 for a WAIT that got its replicas, has no timeout, or failed', () => {
    expect(blockedMs(['WAIT', '2', '0'], { t: 'int', v: 2 })).toBe(0);
    expect(blockedMs(['WAIT', '1', '1000'], { t: 'int', v: 2 })).toBe(0);
    expect(blockedMs(['WAIT', '0', '100'], { t: 'int', v: 0 })).toBe(0);
    expect(blockedMs(['WAIT', '2', 'x'], { t: 'error', v: 'ERR timeout is not an integer' })).toBe(
      0,
    );
  });

  it('is 0 for any other command', () => {
    expect(blockedMs(['SET', 'a', '1'], { t: 'status', v: 'OK' })).toBe(0);
    expect(blockedMs(['INCR', 'a'], { t: 'int', v: 1 })).toBe(0);
  });
});

// The shutdown wait counts on the script clock as on the engine's, for Redis and Valkey alike
// (lines from the recorded valkey-8.0.1 chain-restart-middle: Valkey's finishShutdown says
// "Valkey is now ready to exit"; read as Redis's, the wait counted 0 and every observation after
// the restart came its length early).
describe('shutdownWaitMs', () => {
  const logOf = (lines: string[]): string => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shutdown-')), 'redis.log');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };

  it("is the time from the user's SHUTDOWN to 'ready to exit', in Redis's words or Valkey's", () => {
    expect(
      shutdownWaitMs(
        logOf([
          "15573:S 29 Nov 2026 16:05:15.856 * User requested shutdown... (user request from 'id=3')",
          '15573:S 29 Nov 2026 16:05:15.856 * Waiting for replicas before shutting down.',
          '15573:S 29 Nov 2026 16:05:16.301 * 1 of 1 replicas are in sync when shutting down.',
          '15573:S 29 Nov 2026 16:05:16.305 # Valkey is now ready to exit, bye bye...',
        ]),
      ),
    ).toBe(449);
    expect(
      shutdownWaitMs(
        logOf([
          '100:M 29 Nov 2026 16:05:15.000 # User requested shutdown...',
          '100:M 29 Nov 2026 16:05:15.300 # Redis is now ready to exit, bye bye...',
        ]),
      ),
    ).toBe(300);
  });
});
