/**
 * The scenario parser: what each line means, and every mistake reported at its line and column
 * (1-based, the column of the token at fault). The twin: its lines, its run, its mistakes.
 */
import { describe, expect, it } from 'vitest';
import { LabScriptError } from './ast';
import { formatStatement } from './script';
import { compareTwin, runScenario } from './headless';
import { parseScenario, twinOf } from './scenario';

const HEAD = [
  'scenario demo',
  'title en "Demo"',
  'title es "Demostración"',
  'server master 10.0.0.1:6379',
  'server replica1 10.0.0.2:6379',
];
const STEP = [
  'step',
  'say en "One."',
  'say es "Uno."',
  'replica1 REPLICAOF 10.0.0.1 6379',
  'wait 8s',
];

/** Where parsing `lines` fails: "line:col reason". */
function mistake(lines: readonly string[]): string {
  try {
    parseScenario(lines.join('\n'));
  } catch (e) {
    if (e instanceof LabScriptError) return `${e.line}:${e.col} ${e.reason}`;
    throw e;
  }
  return 'no mistake';
}

describe('parseScenario', () => {
  it('reads the stage, the steps, their narration, highlights, quotes and asks', () => {
    const sc = parseScenario(
      [
        ...HEAD,
        ...STEP,
        'step',
        'say en "Two,"',
        'say en "joined."',
        'say es "Dos."',
        'note en "For the teacher."',
        'highlight offset replica1',
        'highlight why',
        'quote replica1 "Finished with success"',
        'ask resync replica1',
        'net replica1 down',
      ].join('\n'),
    );
    expect(sc.id).toBe('demo');
    expect(sc.title).toEqual({ en: 'Demo', es: 'Demostración' });
    expect(sc.setup.map(formatStatement)).toEqual([
      'server master 10.0.0.1:6379',
      'server replica1 10.0.0.2:6379',
    ]);
    expect(sc.steps).toHaveLength(2);
    expect(sc.steps[0]!.statements.map(formatStatement)).toEqual([
      'replica1 REPLICAOF 10.0.0.1 6379',
      'wait 8s',
    ]);
    const two = sc.steps[1]!;
    expect(two.say).toEqual({ en: 'Two, joined.', es: 'Dos.' });
    expect(two.notes).toEqual({ en: 'For the teacher.', es: '' });
    expect(two.highlights).toEqual([
      { part: 'offset', server: 'replica1' },
      { part: 'why', server: null },
    ]);
    expect(two.quotes.map((q) => [q.server, q.text, q.pos.line])).toEqual([
      ['replica1', 'Finished with success', 18],
    ]);
    expect(two.asks.map((a) => [a.kind, a.replica])).toEqual([['resync', 'replica1']]);
    expect(sc.twin).toBeNull();
  });

  it('reports each mistake at its line and column', () => {
    expect(mistake(['title en "x"', ...HEAD.slice(1), ...STEP])).toBe(
      "1:1 a scenario starts with 'scenario ID'",
    );
    expect(mistake([...HEAD, ...STEP, 'scenario again'])).toBe(
      "11:1 a scenario has one 'scenario' line",
    );
    expect(mistake(['scenario Bad_Id', ...HEAD.slice(1), ...STEP])).toMatch(
      /^1:10 scenario needs an id/,
    );
    expect(mistake([...HEAD, 'say en "early"', ...STEP])).toBe(
      "6:1 'say' belongs to a step: put a 'step' line before it",
    );
    expect(mistake([...HEAD, ...STEP, 'highlight offset ghost'])).toBe(
      "11:18 unknown server 'ghost'",
    );
    expect(mistake([...HEAD, ...STEP, 'highlight sky'])).toMatch(/^11:11 highlight needs/);
    expect(mistake([...HEAD, ...STEP, 'ask colour replica1'])).toMatch(/^11:5 ask needs/);
    expect(mistake([...HEAD, 'step', 'say en "only English"', 'wait 1s'])).toBe(
      '6:1 step 1 says nothing in Spanish: add a line \'say es "…"\'',
    );
    expect(mistake([...HEAD, ...STEP, 'say fr "non"'])).toMatch(/^11:5 say needs/);
    expect(mistake([...HEAD])).toBe("5:1 a scenario has at least one 'step'");
    // A lab line's own mistake, from the lab parser, at its place in the file.
    expect(mistake([...HEAD, ...STEP, 'wait soon'])).toMatch(/^11:6 /);
  });
});

describe('twin', () => {
  const BACKLOG = 'master CONFIG SET repl-backlog-size 16384';
  const twinLines = [
    `twin "${BACKLOG}" "master CONFIG SET repl-backlog-size 1mb"`,
    'twin en "Small" "Large"',
    'twin es "Pequeño" "Grande"',
  ];
  /** A cut long enough to time out, 40 KB written meanwhile: more than 16 KB keeps. */
  const lesson = [
    ...HEAD,
    ...twinLines,
    BACKLOG,
    ...STEP,
    'step',
    'say en "Cut, writes."',
    'say es "Corte, escrituras."',
    'net replica1 stop',
    ...Array.from({ length: 40 }, (_, i) => `master SET k${i} ${'x'.repeat(1000)}`),
    'wait 70s',
    'step',
    'say en "Back."',
    'say es "Vuelve."',
    'net replica1 start',
    'wait 10s',
  ];

  it('is the same scenario with the line replaced, the line numbers kept', () => {
    const sc = parseScenario(lesson.join('\n'));
    expect(sc.twin?.labels).toEqual({ en: ['Small', 'Large'], es: ['Pequeño', 'Grande'] });
    const twin = twinOf(sc)!;
    expect(twin.twin).toBeNull();
    const config = twin.setup.find((st) => formatStatement(st).includes('repl-backlog-size'))!;
    expect(formatStatement(config)).toBe('master CONFIG SET repl-backlog-size 1mb');
    expect(config.pos.line).toBe(9);
    expect(twin.steps.map((s) => s.statements.length)).toEqual(
      sc.steps.map((s) => s.statements.length),
    );
  });

  it('compares the two runs: a full resync against a partial one of every byte missed', () => {
    const sc = parseScenario(lesson.join('\n'));
    // Up to step 2 nothing has reconnected yet: both runs' last resync is step 1's first sync.
    const before = compareTwin(sc, 2)!;
    expect(before.last.map((r) => [r?.step, r?.kind])).toEqual([
      [1, 'full'],
      [1, 'full'],
    ]);
    const after = compareTwin(sc, 3)!;
    const [small, large] = after.last;
    expect(small?.kind).toBe('full');
    expect(small?.reply).toMatch(/^\+FULLRESYNC/);
    expect(large?.kind).toBe('partial');
    expect(large?.reply).toMatch(/^\+CONTINUE/);
    // What replica1 missed: SELECT 0 (23 bytes), 40 SETs (*3 $3 SET $2|$3 kN $1000 value:
    // 4+4+5 + 4+(2|3)+2 + 7+1000+2 = 1030 for k0…k9, 1031 for k10…k39) and the master's PINGs
    // every 10 s during the 70 s wait (14 bytes each: *1 $4 ping).
    const missed = 23 + 10 * 1030 + 30 * 1031;
    const pings = (large!.bytes - missed) / 14;
    expect(Number.isInteger(pings) && pings >= 6 && pings <= 8).toBe(true);
    expect(after.totalBytes[1]).toBe(before.totalBytes[1] + large!.bytes);
    // The headless run of the scenario itself gives the same full resync.
    const own = runScenario(sc).resyncs.at(-1)!;
    expect(own).toEqual(small);
  });

  it('reports a twin line that matches nothing, a missing name, or a replacement that is wrong', () => {
    const base = [...HEAD, BACKLOG, ...STEP];
    expect(
      mistake([...base, 'twin "master SET a 1" "master SET a 2"', ...twinLines.slice(1)]),
    ).toBe('12:6 twin: no lab line reads "master SET a 1"');
    expect(mistake([...base, twinLines[0]!, twinLines[1]!])).toBe(
      '12:1 the twin has no names in Spanish (twin es "LABEL" "TWIN LABEL")',
    );
    expect(mistake([...base, 'twin en "A" "B"', 'twin es "A" "B"'])).toBe(
      '12:1 the twin changes nothing: add twin "LAB LINE" "REPLACEMENT"',
    );
    expect(mistake([...base, `twin "${BACKLOG}" "ghost SET a 1"`, ...twinLines.slice(1)])).toBe(
      "12:6 twin: unknown directive or server 'ghost'",
    );
    expect(mistake([...base, 'twin "one"', ...twinLines.slice(1)])).toMatch(/^12:11 twin needs/);
  });
});
