import { describe, expect, it } from 'vitest';
import { checkDetail, loadLanguage } from './i18n';

// The PSYNC checks' reasons with the engine's numbers filled in, in both languages: the words the
// why-panel showed before they became templates (an ID of 40 hex digits is cut to 8 and "…").
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('checkDetail', () => {
  it('fills each reason with its numbers and shortened IDs, in English and Spanish', async () => {
    await loadLanguage('es');
    const mismatch = { k: 'replid-mismatch', replid: A, id1: B, id2: '0000' } as const;
    expect(checkDetail(mismatch, 'en')).toBe(
      'Replication ID aaaaaaaa… is neither master_replid (bbbbbbbb…) nor master_replid2 (0000).',
    );
    expect(checkDetail(mismatch, 'es')).toBe(
      'El ID aaaaaaaa… no es master_replid (bbbbbbbb…) ni master_replid2 (0000).',
    );
    const inRange = { k: 'in-range', offset: 183, first: 1, last: 1_048_576 } as const;
    expect(checkDetail(inRange, 'en')).toBe('Offset 183 lies in the backlog [1, 1048576].');
    expect(checkDetail(inRange, 'es')).toBe('El offset 183 está en el backlog [1, 1048576].');
    expect(checkDetail({ k: 'replid2-too-far', offset: 126, second: 125 }, 'en')).toBe(
      'Replication ID is master_replid2, but offset 126 is past second_repl_offset 125.',
    );
    // The backlog check reads its flag: both answers.
    expect(checkDetail({ k: 'backlog', exists: true }, 'en')).toBe('The master has a backlog.');
    expect(checkDetail({ k: 'backlog', exists: false }, 'en')).toBe('The master has no backlog.');
    expect(checkDetail({ k: 'backlog', exists: false }, 'es')).toBe('El maestro no tiene backlog.');
    expect(checkDetail({ k: 'before-backlog', offset: 1, first: 20_441 }, 'es')).toBe(
      'El offset 1 se salió del backlog, que empieza en 20441.',
    );
  });
});
