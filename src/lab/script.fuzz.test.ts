/**
 * Fuzzing the lab-script parser with random and hostile text: it parses, or it throws a
 * LabScriptError whose line and column point inside the text (a column one past a line's end
 * stands for "at the end of the line"). Nothing else may escape, whatever the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabScriptError } from './ast';
import { anyArg, hostileText } from './hostile.testing';
import { parseScenario } from './scenario';
import { formatStatement, parseScript, quoteArg, splitArgs, tokenizeLine } from './script';

/** The line `text` is split into, as the parsers split it (\n, then one trailing \r). */
function lineOf(text: string, n: number): string | undefined {
  const raw = text.split('\n')[n - 1];
  return raw?.endsWith('\r') ? raw.slice(0, -1) : raw;
}

/** Runs `parse`; a LabScriptError must name a line of `text` and a column within that line. */
function parsesOrPointsInside(parse: (text: string) => unknown, text: string): 'ok' | 'error' {
  try {
    parse(text);
    return 'ok';
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(LabScriptError);
    const err = e as LabScriptError;
    const line = lineOf(text, err.line);
    expect(line, `line ${err.line} of ${text.split('\n').length}`).toBeDefined();
    expect(err.col).toBeGreaterThanOrEqual(1);
    expect(err.col).toBeLessThanOrEqual((line ?? '').length + 1);
    expect(err.message).toBe(`line ${err.line}, column ${err.col}: ${err.reason}`);
    return 'error';
  }
}

/** A script: declarations and commands the parser accepts, mixed with hostile lines. */
const scriptText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: hostileText(12) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'server master 10.0.0.1:6379',
          'server replica1',
          'replica1 REPLICAOF master 6379',
          'wait 6s',
          'net replica1 stop',
          'version 7.0',
          'clock 2020-02-27 14:06:23.000',
          'latency 300ms bandwidth 10mb',
          'show log master',
          'remove replica1',
        ),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('master', 'replica1'), fc.array(hostileText(4), { maxLength: 4 }))
          .map(([s, args]) => [s, 'SET', ...args].join(' ')),
      },
    ),
    { maxLength: 12 },
  )
  .chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol)));

describe('the lab-script parser under hostile input', () => {
  it('parses any text or throws a LabScriptError inside it', () => {
    const seen = { ok: 0, error: 0 };
    fc.assert(
      fc.property(scriptText, (text) => {
        seen[parsesOrPointsInside(parseScript, text)]++;
      }),
      { numRuns: 400 },
    );
    // Both outcomes were exercised.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  it('parses any scenario text or throws a LabScriptError inside it', () => {
    const scenario = fc
      .tuple(
        fc.constantFrom('', 'scenario x\ntitle en "X"\ntitle es "X"\n'),
        fc.array(
          fc.oneof(
            scriptText,
            fc.constantFrom('step', 'say en "hi"', 'say es "hola"', 'quote master "x"'),
            fc.constantFrom('twin "wait 6s" "wait 7s"', 'twin en a b', 'ask resync replica1'),
            hostileText(8).map((t) => `say en ${t}`),
          ),
          { maxLength: 10 },
        ),
      )
      .map(([head, lines]) => head + lines.join('\n'));
    fc.assert(
      fc.property(scenario, (text) => {
        parsesOrPointsInside(parseScenario, text);
      }),
      { numRuns: 300 },
    );
  });

  it('tokenizes any line, with every token starting inside it', () => {
    fc.assert(
      fc.property(hostileText(), (line) => {
        const r = tokenizeLine(line);
        if (r.ok) for (const t of r.tokens) expect(t.col).toBeLessThanOrEqual(line.length);
        else {
          expect(r.col).toBeGreaterThanOrEqual(1);
          expect(r.col).toBeLessThanOrEqual(line.length);
        }
        // splitArgs agrees with the tokenizer wherever no comment is involved.
        if (!line.includes('#')) expect(splitArgs(line) === null).toBe(!r.ok);
      }),
      { numRuns: 500 },
    );
  });

  it('gives back any argument list it quoted: NUL, control characters, lone surrogates', () => {
    fc.assert(
      fc.property(fc.array(anyArg, { minLength: 1, maxLength: 8 }), (argv) => {
        expect(splitArgs(argv.map(quoteArg).join(' '))).toEqual(argv);
        const line = formatStatement({
          kind: 'command',
          pos: { line: 1, col: 1 },
          server: 'm',
          argv,
        });
        const parsed = parseScript(`server m\n${line}`).statements[1];
        expect(parsed).toMatchObject({ kind: 'command', server: 'm', argv });
      }),
      { numRuns: 300 },
    );
  });
});

describe('the lab-script parser on huge input', () => {
  it('splits a 1 MB argument, plain and as 1 MB of \\x escapes', () => {
    const mb = 1 << 20;
    const plain = splitArgs(`SET k "${'a'.repeat(mb)}"`);
    expect(plain?.[2]?.length).toBe(mb);
    // Each \xc3\xb3 is the two bytes of one ó.
    const escaped = splitArgs(`SET k "${'\\xc3\\xb3'.repeat(mb / 2)}"`);
    expect(escaped?.[2]).toBe('ó'.repeat(mb / 2));
    // Unbalanced at the very end of a megabyte: the column of its opening quote.
    const r = tokenizeLine(`SET k "${'a'.repeat(mb)}`);
    expect(r).toEqual({ ok: false, col: 7, reason: 'unbalanced quotes' });
  });

  it('parses a command with 5,000 arguments and a script of 20,000 lines', () => {
    const args = Array.from({ length: 5000 }, (_, i) => `f${i}`);
    const one = parseScript(`server m\nm HSET h ${args.join(' ')}`).statements[1];
    expect(one).toMatchObject({ kind: 'command', argv: ['HSET', 'h', ...args] });
    const lines = ['server m', ...Array.from({ length: 20_000 }, (_, i) => `m SET k${i} v`)];
    expect(parseScript(lines.join('\n')).statements).toHaveLength(20_001);
    // A mistake on the last line is found there.
    expect(() => parseScript([...lines, 'm SET "x'].join('\n'))).toThrow(
      'line 20002, column 7: unbalanced quotes',
    );
  });
});

describe('server names', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    "refuses '%s', a name every JavaScript object already has",
    (name) => {
      expect(() => parseScript(`server ${name}`)).toThrow(
        `line 1, column 8: '${name}' is a reserved name; pick another server name`,
      );
    },
  );
});
