/** The embed API's checks: every command shape, and which origins may send them. */
import { describe, expect, it } from 'vitest';
import { allowedOrigins, isAllowed, parseCommandMessage } from './protocol';

const cmd = (command: unknown) => parseCommandMessage({ resyncLab: 1, command });

describe('parseCommandMessage', () => {
  it('accepts each command with exactly its fields', () => {
    for (const type of ['next', 'prev', 'play', 'pause', 'reset', 'getState'])
      expect(cmd({ type })).toEqual({ resyncLab: 1, command: { type } });
    expect(cmd({ type: 'goToStep', step: 0 })).toEqual({
      resyncLab: 1,
      command: { type: 'goToStep', step: 0 },
    });
    expect(cmd({ type: 'open', scenario: 'partial-resync', step: 2 })).toHaveProperty(
      'command.step',
      2,
    );
    expect(cmd({ type: 'run', line: 'master SET "<b>" v' })).toHaveProperty(
      'command.line',
      'master SET "<b>" v',
    );
    expect(cmd({ type: 'setLang', lang: 'es' })).toHaveProperty('command.lang', 'es');
    expect(cmd({ type: 'setTheme', theme: 'projector' })).toHaveProperty(
      'command.theme',
      'projector',
    );
  });

  it('refuses anything else, saying why', () => {
    const bad: unknown[] = [
      null,
      'next',
      [1, 2],
      { resyncLab: 2, command: { type: 'next' } },
      { command: { type: 'next' } },
      { resyncLab: 1 },
      { resyncLab: 1, command: 'next' },
    ];
    for (const b of bad) expect(parseCommandMessage(b)).toHaveProperty('error');
    for (const c of [
      { type: 'next', extra: 1 },
      { type: 'goToStep' },
      { type: 'goToStep', step: -1 },
      { type: 'goToStep', step: 1.5 },
      { type: 'goToStep', step: '2' },
      { type: 'open', scenario: '../etc' },
      { type: 'open', scenario: 'Partial' },
      { type: 'open', scenario: 'partial-resync', step: -2 },
      { type: 'run', line: 'a\nb' },
      { type: 'run', line: 'x'.repeat(10_001) },
      { type: 'run', line: 42 },
      { type: 'setLang', lang: 'fr' },
      { type: 'setTheme', theme: 'neon' },
      { type: '__proto__' },
      { type: 'launch' },
    ])
      expect(cmd(c), JSON.stringify(c).slice(0, 60)).toHaveProperty('error');
    expect(cmd({ type: 'launch' })).toEqual({ error: 'unknown command "launch"' });
  });
});

describe('allowedOrigins', () => {
  const own = 'https://lab.example';
  it('is the embedding page and the lab by default', () => {
    const o = allowedOrigins('?embed=1', 'https://slides.example/deck/#/3', own);
    expect([...o].sort()).toEqual(['https://lab.example', 'https://slides.example']);
    expect(isAllowed(o, 'https://evil.example')).toBe(false);
    expect([...allowedOrigins('', '', own)]).toEqual([own]);
    expect([...allowedOrigins('', 'not a url', own)]).toEqual([own]);
  });
  it('is what the embedder lists in `origins`, or anyone with *', () => {
    const o = allowedOrigins(
      '?origins=https://a.example,%20https://b.example',
      'https://c.example',
      own,
    );
    expect([...o]).toEqual(['https://a.example', 'https://b.example']);
    expect(isAllowed(o, own)).toBe(false);
    expect(isAllowed(allowedOrigins('?origins=*', '', own), 'https://any.example')).toBe(true);
  });
});
