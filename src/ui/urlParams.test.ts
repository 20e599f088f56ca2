import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readStartOptions, readStep, shortValue } from './urlParams';

/** Any text: control characters, lone surrogates, markup, numbers. */
const anyText = fc.oneof(
  fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc.constantFrom('<img src=x onerror=alert(1)>', '1e309', '-0', '0.25', '10', 'NaN', 'es', 'dark'),
);

describe("a link's lang, theme and speed", () => {
  it('takes the values the lab knows', () => {
    expect(readStartOptions('?lang=es&theme=projector&speed=0.25', 'en-US')).toEqual({
      options: { lang: 'es', theme: 'projector', speed: 0.25 },
      problems: [],
    });
    // Without lang, the browser's language; without the others, the defaults.
    expect(readStartOptions('', 'es-ES').options).toEqual({ lang: 'es', theme: 'light', speed: 1 });
  });

  it('opens with defaults and names every value it does not know', () => {
    const r = readStartOptions(
      `?lang=fr&theme=${encodeURIComponent('<img src=x onerror=window.__pwned=1>')}&speed=1e9`,
      'es',
    );
    expect(r.options).toEqual({ lang: 'es', theme: 'light', speed: 10 });
    expect(r.problems).toEqual([
      { param: 'lang', value: 'fr', shown: 'es' },
      { param: 'theme', value: '<img src=x onerror=window.__pwned=1>', shown: 'light' },
      { param: 'speed', value: '1e9', shown: '10×' },
    ]);
    expect(readStartOptions('?speed=-3', 'en').problems).toEqual([
      { param: 'speed', value: '-3', shown: '1×' },
    ]);
    expect(readStartOptions('?speed=0.01', 'en').options.speed).toBe(0.25);
    expect(readStartOptions('?speed=Infinity&lang=', 'en').problems).toEqual([
      { param: 'lang', value: '', shown: 'en' },
      { param: 'speed', value: 'Infinity', shown: '1×' },
    ]);
  });

  it('never throws and always opens with a known language, theme and a speed in 0.25…10', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('lang', 'theme', 'speed', 'x'), anyText), (d) => {
        const { options } = readStartOptions(`?${new URLSearchParams(d).toString()}`, 'en');
        expect(['en', 'es']).toContain(options.lang);
        expect(['light', 'dark', 'projector']).toContain(options.theme);
        expect(options.speed).toBeGreaterThanOrEqual(0.25);
        expect(options.speed).toBeLessThanOrEqual(10);
      }),
      { numRuns: 300 },
    );
  });
});

describe("a link's step", () => {
  it('is a whole number from 0, or step 0 with a problem', () => {
    expect(readStep(null)).toEqual({ step: 0, problem: null });
    expect(readStep('3')).toEqual({ step: 3, problem: null });
    for (const bad of ['-1', '2.5', 'abc', '', ' 3', '1e3', '9'.repeat(40)])
      expect(readStep(bad)).toEqual({
        step: 0,
        problem: { param: 'step', value: bad, shown: '0' },
      });
  });
});

describe('a value in the notice', () => {
  it('is cut short after 80 characters', () => {
    expect(shortValue('a'.repeat(80))).toBe('a'.repeat(80));
    expect(shortValue('a'.repeat(1 << 20))).toBe(`${'a'.repeat(80)}…`);
  });
});
