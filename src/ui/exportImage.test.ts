import { describe, expect, it } from 'vitest';
import { imageFileName } from './exportImage';

describe('imageFileName', () => {
  it('names the lesson and the step', () => {
    expect(imageFileName('partial-resync', 3, 'png')).toBe('resync-lab-partial-resync-step-3.png');
  });
  it('keeps only letters, digits and dashes of a teacher’s own id', () => {
    expect(imageFileName('../Mi Lección <x>', 0, 'svg')).toBe('resync-lab-mi-lecci-n-x-step-0.svg');
  });
  it('free play has no lesson', () => {
    expect(imageFileName(null, 0, 'png')).toBe('resync-lab.png');
  });
});
