// Numbers in words for the certification «… 25 (двадцать пять) листов» (D-34).
import { plural } from '../../src-shared/rules/plural';
// «лист» is masculine: один лист, два листа; «тысяча» is feminine: одна тысяча, две тысячи.

const ONES_MASCULINE = ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const ONES_FEMININE = ['', 'одна', 'две', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const TEENS = ['десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать', 'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'];
const TENS = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const HUNDREDS = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];

function belowThousand(value: number, feminine: boolean): string[] {
  const words: string[] = [];
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  if (hundreds > 0) words.push(HUNDREDS[hundreds]!);
  if (rest >= 10 && rest <= 19) {
    words.push(TEENS[rest - 10]!);
  } else {
    const tens = Math.floor(rest / 10);
    const ones = rest % 10;
    if (tens > 0) words.push(TENS[tens]!);
    if (ones > 0) words.push((feminine ? ONES_FEMININE : ONES_MASCULINE)[ones]!);
  }
  return words;
}

/** A whole number from 0 to 999 999 in words, masculine (as «лист» needs). */
export function numberInWords(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 999_999) throw new RangeError(`Число вне диапазона: ${value}`);
  if (value === 0) return 'ноль';
  const thousands = Math.floor(value / 1000);
  const rest = value % 1000;
  const words: string[] = [];
  if (thousands > 0) {
    words.push(...belowThousand(thousands, true), plural(thousands, 'тысяча', 'тысячи', 'тысяч'));
  }
  words.push(...belowThousand(rest, false));
  return words.join(' ');
}

/** «25 (двадцать пять) листов». */
export function sheetsPhrase(sheets: number): string {
  return `${sheets} (${numberInWords(sheets)}) ${plural(sheets, 'лист', 'листа', 'листов')}`;
}
