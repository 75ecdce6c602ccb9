import { describe, expect, it } from 'vitest';
import { fit, wrap, type PdfWriter } from '../../src-main/printing/pdf';

// How a topic or a name is laid into a printed cell. Widths here are counted by hand: every
// letter is 1 unit for `wrap`, and 0.5 × the font size for `fit` (a stand-in for the font's
// metrics, which only `width` reads).

const letters = (text: string) => [...text].length;

describe('wrap: greedy lines that never run past the cell', () => {
  it('fills each line with whole words', () => {
    // «Сложение и» is 10 letters: it fills a 10-wide line; «вычитание дробей» (16) does not.
    expect(wrap(letters, 'Сложение и вычитание дробей', 10)).toEqual(['Сложение и', 'вычитание', 'дробей']);
  });

  it('breaks a word longer than the line between letters', () => {
    expect(wrap(letters, 'http://example.ru/a', 8)).toEqual(['http://e', 'xample.r', 'u/a']);
  });

  it('keeps the typed line breaks and an empty line, drops a trailing one', () => {
    expect(wrap(letters, 'Тема\n\nД/з', 10)).toEqual(['Тема', '', 'Д/з']);
    expect(wrap(letters, 'Тема\n', 10)).toEqual(['Тема']);
  });
});

describe('fit: the largest size at which the text takes no more lines than the cell has', () => {
  const halfSize = { width: (text: string, _font: string, size: number) => letters(text) * size * 0.5 } as unknown as PdfWriter;

  it('steps down by half points until two lines suffice', () => {
    // Width 60. At 10 and 9.5 pt a line holds 12 letters: «Решение» / «задач на» / «движение», three lines.
    // At 9 pt it holds 13 (13 × 4.5 = 58.5): «Решение задач» / «на движение».
    const fitted = fit(halfSize, 'Решение задач на движение', 'sans', 60, 10, 7, 2);
    expect(fitted.size).toBe(9);
    expect(fitted.lines).toEqual(['Решение задач', 'на движение']);
    expect(fitted.height).toBeCloseTo(2 * 9 * 1.22);
  });

  it('prefers a smaller size to breaking a word between letters', () => {
    // «Электрификация», 14 letters: 70 at 10 pt, 63 at 9 pt, 59.5 at 8.5 pt — the first whole fit.
    const fitted = fit(halfSize, 'Электрификация', 'sans', 60, 10, 7, 2);
    expect(fitted.size).toBe(8.5);
    expect(fitted.lines).toEqual(['Электрификация']);
  });

  it('at the smallest size takes as many lines as the text needs', () => {
    // At 7 pt a line holds 17 letters; «Контрольная работа» is 18: three lines, the cell's two notwithstanding.
    const fitted = fit(halfSize, 'Контрольная работа по теме дроби', 'sans', 60, 10, 7, 2);
    expect(fitted.size).toBe(7);
    expect(fitted.lines).toEqual(['Контрольная', 'работа по теме', 'дроби']);
  });
});
