// Mark scales (D-20) and special marks (D-21).

export const markScales = ['five', 'ten', 'hundred', 'passFail'] as const;
export type MarkScale = (typeof markScales)[number];

export const markScaleTitles: Record<MarkScale, string> = {
  five: 'Пятибалльная (2–5)',
  ten: 'Десятибалльная (1–10)',
  hundred: 'Стобалльная (0–100)',
  passFail: 'Зачёт / незачёт',
};

export const specialMarks = ['осв', 'н/а', 'зач', 'Д', 'безотм'] as const;
export type SpecialMark = (typeof specialMarks)[number];

export const specialMarkTitles: Record<SpecialMark, string> = {
  осв: 'освобождён',
  'н/а': 'не аттестован',
  зач: 'зачёт',
  Д: 'долг',
  безотм: 'безотметочное обучение',
};

export interface MarkRules {
  scale: MarkScale;
  /** Special marks the school has enabled. */
  specialMarks: readonly SpecialMark[];
}

const ranges: Record<Exclude<MarkScale, 'passFail'>, { min: number; max: number }> = {
  five: { min: 2, max: 5 },
  ten: { min: 1, max: 10 },
  hundred: { min: 0, max: 100 },
};

export function scaleRange(scale: MarkScale): { min: number; max: number } | null {
  return scale === 'passFail' ? null : ranges[scale];
}

export type MarkCheck = { ok: true; value: string } | { ok: false; message: string };

function describeScale(rules: MarkRules): string {
  const range = scaleRange(rules.scale);
  const main = range ? `от ${range.min} до ${range.max}` : '«зач» или «незач»';
  return rules.specialMarks.length > 0 ? `${main} или ${rules.specialMarks.map((m) => `«${m}»`).join(', ')}` : main;
}

/** Checks a typed mark against the school's scale and returns it in its stored spelling. */
export function checkMark(raw: string, rules: MarkRules): MarkCheck {
  const typed = raw.trim();
  const lower = typed.toLowerCase();
  const special = rules.specialMarks.find((mark) => mark.toLowerCase() === lower);
  if (special) return { ok: true, value: special };
  const range = scaleRange(rules.scale);
  if (range) {
    if (/^\d{1,3}$/.test(typed)) {
      const number = Number(typed);
      if (number >= range.min && number <= range.max) return { ok: true, value: String(number) };
    }
  } else if (lower === 'зач' || lower === 'незач') {
    return { ok: true, value: lower };
  }
  return { ok: false, message: `Отметка «${typed.slice(0, 12)}» не входит в шкалу школы: ${describeScale(rules)}.` };
}

/** The number a mark counts as in an average; special and pass/fail marks do not count. */
export function numericMark(value: string, scale: MarkScale): number | null {
  const range = scaleRange(scale);
  if (!range || !/^\d{1,3}$/.test(value)) return null;
  const number = Number(value);
  return number >= range.min && number <= range.max ? number : null;
}
