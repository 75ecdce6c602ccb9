// Column headers are 50 px wide: a long word is cut the way Russian abbreviations are
// («Контрольная работа» → «Контр.», «Наибольший общий делитель» → «Наиб.»), after a
// consonant, never in the middle of a syllable's vowel; the full text goes in the tooltip.

const VOWELS_AND_SIGNS = /[аеёиоуыэюяйьъaeiouy]/i;

export function abbreviate(text: string, maxLetters = 5): string {
  const word = text.trim().split(/[\s,.;:—–-]+/)[0] ?? '';
  if (word.length <= maxLetters + 1) return word;
  let cut = maxLetters;
  // Back off to end on a consonant («Делим.», not «Делимо.»), keeping at least three letters.
  while (cut > 3 && VOWELS_AND_SIGNS.test(word[cut - 1]!)) cut--;
  return `${word.slice(0, cut)}.`;
}
