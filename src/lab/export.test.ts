import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAllLessons } from '../lessons';

const BUILT_IN_LESSONS = await loadAllLessons();
import { exportShell, seconds, shQuote } from './export';
import { parseScenario } from './scenario';
import { parseScript } from './script';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sh = (script: string, env: Record<string, string> = {}): string =>
  execFileSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd: tmp,
  });

const exp = (text: string, basePort?: number) => exportShell(parseScript(text), { basePort });

const HOSTILE = [
  "it's",
  '"double" and \'single\'',
  '$HOME ${PATH} $(touch pwned) `touch pwned2`',
  'line one\nline two\r\n',
  '; rm -rf "$LAB" #',
  "'\\''",
  'introducción — 日本語 🚀 \u2028 end',
  '*',
  '~root',
  '',
  ' spaced ',
  '!event',
  '{a,b}',
  '-n',
];

describe('shQuote', () => {
  it('gives the shell back exactly the same argument, whatever it holds', () => {
    const words = HOSTILE.map(shQuote).join(' ');
    const out = sh(`printf '%s\\0' ${words}`);
    expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE);
    expect(fs.existsSync(path.join(tmp, 'pwned'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'pwned2'))).toBe(false);
  });

  it('leaves plain words bare', () => {
    expect(shQuote('curso:1')).toBe('curso:1');
    expect(shQuote('192.168.1.1')).toBe('192.168.1.1');
    expect(shQuote('a b')).toBe("'a b'");
    expect(shQuote("it's")).toBe("'it'\\''s'");
  });
});

describe('seconds', () => {
  it('turns the lab durations into sleep arguments', () => {
    expect(seconds(6000)).toBe('6');
    expect(seconds(22500)).toBe('22.5');
    expect(seconds(3050)).toBe('3.05');
    expect(seconds(1)).toBe('0.001');
  });
});

describe('ports and addresses', () => {
  const two = 'server master 192.168.157.144:6379\nserver replica1 192.168.157.146:6379\n';

  it('gives each server a local port from the base, in declaration order', () => {
    const out = exp(two);
    expect(out).toContain('BASE_PORT=${RESYNC_LAB_BASE_PORT:-7001}');
    expect(out).toContain('P1=$((BASE_PORT + 0)) # master, 192.168.157.144:6379 in the lab');
    expect(out).toContain('P2=$((BASE_PORT + 1)) # replica1, 192.168.157.146:6379 in the lab');
    expect(out).toContain('start_server master "$P1"');
    expect(out).toContain('start_server replica1 "$P2"');
    expect(exp(two, 23010)).toContain('BASE_PORT=${RESYNC_LAB_BASE_PORT:-23010}');
  });

  it('translates REPLICAOF by address or by name, and leaves other hosts alone', () => {
    expect(exp(two + 'replica1 REPLICAOF 192.168.157.144 6379')).toContain(
      'cli replica1 "$P2" REPLICAOF 127.0.0.1 "$P1"',
    );
    expect(exp(two + 'replica1 replicaof master 6379')).toContain(
      'cli replica1 "$P2" replicaof 127.0.0.1 "$P1"',
    );
    expect(exp(two + 'replica1 SLAVEOF 192.168.157.146 6379')).toContain(
      'cli replica1 "$P2" SLAVEOF 127.0.0.1 "$P2"',
    );
    const other = exp(two + 'replica1 REPLICAOF 10.0.0.9 6379');
    expect(other).toContain('cli replica1 "$P2" REPLICAOF 10.0.0.9 6379');
    expect(other).toContain('# not a lab server: left as it is');
    expect(exp(two + 'master CLIENT KILL 192.168.157.146:6379')).toContain(
      'cli master "$P1" CLIENT KILL 127.0.0.1:"$P2"',
    );
  });

  it('gives default addresses (127.0.0.1:6379, 6380…) their own slots too', () => {
    const out = exp('server a\nserver b\nb REPLICAOF 127.0.0.1 6379');
    expect(out).toContain('cli b "$P2" REPLICAOF 127.0.0.1 "$P1"');
  });

  it('gives a name declared again after remove a new slot and directory', () => {
    const out = exp('server a\nremove a\nserver a\na SET k v');
    expect(out).toContain('start_server a "$P1"');
    expect(out).toContain('redis-cli -p "$P1" SHUTDOWN NOSAVE NOW');
    expect(out).toContain('start_server a-2 "$P2"');
    expect(out).toContain('cli a "$P2" SET k v');
  });
});

describe('hostile data', () => {
  it('reaches redis-cli argument for argument, and nothing else runs', () => {
    // Stubs: redis-cli records its arguments, redis-server does nothing.
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    const record = path.join(tmp, 'args');
    fs.writeFileSync(
      path.join(bin, 'redis-cli'),
      `#!/bin/sh\nprintf '%s\\0' "$@" >> '${record}'\n`,
      {
        mode: 0o755,
      },
    );
    fs.writeFileSync(path.join(bin, 'redis-server'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const lab = (a: string) =>
      `"${a
        .replace(/[\\"]/g, (c) => '\\' + c)
        .replace(/\n/g, '\\n')
        .replace(/\r/g, '\\r')}"`;
    const text = 'server master\n' + `master SET k ${HOSTILE.map(lab).join(' ')}\n`;
    expect(parseScript(text).statements[1]).toMatchObject({ argv: ['SET', 'k', ...HOSTILE] });
    const script = path.join(tmp, 'hostile.sh');
    fs.writeFileSync(script, exp(text));
    execFileSync('/bin/sh', [script], {
      cwd: tmp,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: tmp },
      stdio: 'ignore',
    });
    const calls = fs.readFileSync(record, 'utf8').split('\0').slice(0, -1);
    const i = calls.indexOf('SET');
    expect(calls.slice(i, i + 2 + HOSTILE.length)).toEqual(['SET', 'k', ...HOSTILE]);
    expect(fs.existsSync(path.join(tmp, 'pwned'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'pwned2'))).toBe(false);
  });

  it('keeps narration and lab lines inside comments', () => {
    const sc = parseScenario(
      'scenario x\ntitle en "T"\ntitle es "T"\nserver a\nstep\nsay en "a"\nsay es "b"\na SET k v\n',
    );
    const evil = {
      ...sc,
      title: { en: 'one\ntouch pwned3', es: '' },
      steps: sc.steps.map((s) => ({ ...s, say: { en: 'x\nrm -rf /\r\u2028y', es: '' } })),
    };
    const out = exportShell(evil);
    const risky = out.split('\n').filter((l) => /touch pwned3|rm -rf \/|^y$/.test(l));
    expect(risky.length).toBe(2);
    for (const line of risky) expect(line).toMatch(/^# /);
    sh(`sh -n <<'EOF'\n${out}\nEOF`);
  });

  it('does not replay what a shell or redis-cli cannot take', () => {
    expect(exp('server a\na SET k "x\\x00y"')).toContain(
      '# not replayed (a shell cannot pass a NUL byte)',
    );
    expect(exp('server a\na -h evil.example GET k')).toContain(
      '# not replayed (redis-cli would take it for an option): a -h evil.example GET k',
    );
    expect(exp('server a\na MONITOR')).toContain('# not replayed (redis-cli would stream');
  });
});

describe('cuts, restarts and the rest', () => {
  const base =
    'server master 192.168.157.144:6379\nserver replica1 192.168.157.146:6379\n' +
    'server replica2 192.168.157.147:6379\n' +
    'replica1 REPLICAOF master 6379\nreplica2 REPLICAOF master 6379\nwait 8s\n';

  it('freezes the replica for as long as a stop or silent cut lasts', () => {
    const out = exp(
      base +
        'net replica1 stop\nmaster SET a 1\nwait 22500ms\nwait 40s\nnet replica1 start\nwait 6s',
    );
    expect(out).toContain('freeze "$P2" 62.5');
    expect(out).toContain('thaw "$P2" 10');
    expect(out).toContain('--enable-debug-command local');
    const silent = exp(base + 'net replica2 down silent\nwait 3s\nnet replica2 up');
    expect(silent).toContain('freeze "$P3" 3');
    expect(silent).toContain('thaw "$P3" 10');
    // Until the end of the script when nothing heals it; the replicas of a cut master.
    expect(exp(base + 'net master stop\nwait 2s\nwait 1s')).toMatch(
      /freeze "\$P2" 3\nfreeze "\$P3" 3/,
    );
  });

  it('restores the hz the script set, and runs commands to a frozen server in the background', () => {
    const out = exp(
      base +
        'replica1 CONFIG SET hz 20\nnet replica1 stop\nreplica1 GET a\nwait 1s\nnet replica1 start',
    );
    expect(out).toContain('cli replica1 "$P2" GET a &');
    expect(out).toContain('thaw "$P2" 20');
  });

  it('points the replicas of a reset link at port 0 until the link is up', () => {
    const out = exp(
      base +
        'net master down\nmaster SET x 1\nreplica1 REPLICAOF NO ONE\n' +
        'replica2 REPLICAOF 192.168.157.146 6379\nwait 1s\nnet master up\nmaster REPLICAOF replica1 6379',
    );
    expect(out).toContain('redis-cli -p "$P2" REPLICAOF 127.0.0.1 0 >/dev/null # replica1 cut off');
    expect(out).toContain('redis-cli -p "$P3" REPLICAOF 127.0.0.1 0 >/dev/null # replica2 cut off');
    expect(out).toContain('cli replica2 "$P3" REPLICAOF 127.0.0.1 "$P2"');
    // Both have left the cut master: nothing to restore.
    expect(out).not.toContain('back');
    expect(out).toContain('cli master "$P1" REPLICAOF 127.0.0.1 "$P2"');
    expect(out).not.toContain('--enable-debug-command');

    const back = exp(base + 'net replica1 down\nreplica1 REPLICAOF master 6379\nnet replica1 up');
    expect(back).toContain('cli replica1 "$P2" REPLICAOF 127.0.0.1 0');
    expect(back).toContain(
      'redis-cli -p "$P2" REPLICAOF 127.0.0.1 "$P1" >/dev/null # replica1 back',
    );
  });

  it('restarts a replica as a replica, and saves on a plain SHUTDOWN', () => {
    const out = exp(base + 'replica1 SHUTDOWN\nwait 1s\nrestart replica1\nrestart master');
    expect(out).toContain('cli replica1 "$P2" SHUTDOWN SAVE');
    expect(out).toContain('restart_server replica1 "$P2" "$P1" # restart replica1');
    expect(out).toContain('restart_server master "$P1" # restart master');
  });

  it('turns waits, shows, latency, clock and version into their shell forms or comments', () => {
    const out = exp(
      'clock 2020-02-27 14:06:23.000\nversion 5.0\nlatency 400ms bandwidth 1kb\n' +
        base +
        'wait 3050ms\nshow log replica1\nshow info master',
    );
    expect(out).toContain('sleep 3.05');
    expect(out).toContain('show_log replica1');
    expect(out).toContain('show_info master "$P1"');
    expect(out).toMatch(/^# latency 400ms bandwidth 1kb: not reproduced/m);
    expect(out).toMatch(/^# version 5.0: the real servers keep/m);
    expect(out).toMatch(/^# clock 2020-02-27 14:06:23: the real servers keep/m);
  });

  it("writes a step's header and its English narration", () => {
    const out = exportShell(parseScenario(BUILT_IN_LESSONS.get('partial-resync')!));
    expect(out).toContain("echo '== step 3 of 5'");
    expect(out).toMatch(/^# replica1 runs REPLICAOF/m);
    expect(out).toMatch(/^# Resync Lab scenario "partial-resync": Partial resync/m);
  });
});

describe('every built-in lesson', () => {
  it.each([...BUILT_IN_LESSONS.keys()])('%s exports a script that sh -n accepts', (id) => {
    const out = exportShell(parseScenario(BUILT_IN_LESSONS.get(id)!));
    const file = path.join(tmp, `${id}.sh`);
    fs.writeFileSync(file, out);
    execFileSync('/bin/sh', ['-n', file]);
  });
});
