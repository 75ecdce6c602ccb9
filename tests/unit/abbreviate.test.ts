import { describe, expect, it } from 'vitest';
import { abbreviate } from '../../src-renderer/journal/abbreviate';

describe('a lesson column header abbreviation', () => {
  it('cuts a long first word after a consonant and marks the cut with a dot', () => {
    expect(abbreviate('Контрольная работа')).toBe('Контр.');
    expect(abbreviate('Делимость чисел')).toBe('Делим.');
    expect(abbreviate('Наибольший общий делитель')).toBe('Наиб.');
    expect(abbreviate('Самостоятельная работа')).toBe('Самос.');
  });

  it('keeps a short word whole, and nothing for an empty text', () => {
    expect(abbreviate('Дроби')).toBe('Дроби');
    expect(abbreviate('Диктант')).toBe('Дикт.');
    expect(abbreviate('Устный ответ')).toBe('Устный');
    expect(abbreviate('')).toBe('');
  });
});
