import { describe, expect, it } from 'vitest';
import { numberInWords, sheetsPhrase } from '../../src-main/printing/russian-numbers';

// The certification line of a sewn journal: «В журнале пронумеровано и прошнуровано 25
// (двадцать пять) листов» (D-34). Written out by hand from Russian grammar.

describe('numbers in words', () => {
  it('ones, teens, tens and hundreds', () => {
    expect(numberInWords(0)).toBe('ноль');
    expect(numberInWords(1)).toBe('один');
    expect(numberInWords(12)).toBe('двенадцать');
    expect(numberInWords(40)).toBe('сорок');
    expect(numberInWords(215)).toBe('двести пятнадцать');
    expect(numberInWords(999)).toBe('девятьсот девяносто девять');
  });

  it('thousands are feminine: одна тысяча, две тысячи, пять тысяч', () => {
    expect(numberInWords(1000)).toBe('одна тысяча');
    expect(numberInWords(2001)).toBe('две тысячи один');
    expect(numberInWords(21_500)).toBe('двадцать одна тысяча пятьсот');
    expect(numberInWords(5000)).toBe('пять тысяч');
  });

  it('out of range is refused rather than printed wrong', () => {
    expect(() => numberInWords(-1)).toThrow(RangeError);
    expect(() => numberInWords(1.5)).toThrow(RangeError);
    expect(() => numberInWords(1_000_000)).toThrow(RangeError);
  });
});

describe('the sheets phrase', () => {
  it('the noun agrees with the number', () => {
    expect(sheetsPhrase(1)).toBe('1 (один) лист');
    expect(sheetsPhrase(3)).toBe('3 (три) листа');
    expect(sheetsPhrase(11)).toBe('11 (одиннадцать) листов');
    expect(sheetsPhrase(22)).toBe('22 (двадцать два) листа');
    expect(sheetsPhrase(25)).toBe('25 (двадцать пять) листов');
  });
});
