// The form of a Russian noun after a number, by the language's own rules (Intl): 1 запись,
// 3 записи, 5 записей, 21 запись; a fraction takes the «few» form (1,5 часа).

const rules = new Intl.PluralRules('ru');

/** plural(3, 'запись', 'записи', 'записей') → 'записи'. */
export function plural<T>(count: number, one: T, few: T, many: T): T {
  switch (rules.select(count)) {
    case 'one':
      return one;
    case 'few':
    case 'other':
      return few;
    default:
      return many;
  }
}

/** «3 записи»: the number and its noun. */
export const countOf = (count: number, one: string, few: string, many: string) => `${count} ${plural(count, one, few, many)}`;
