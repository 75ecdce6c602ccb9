// Reading the values people type into spreadsheets: dates, class names, person names, roles.

import { roles, roleTitles, type Role } from '../../../src-shared/roles';

export function normalizeHeader(title: string): string {
  return title.toLowerCase().replace(/ё/g, 'е').replace(/[*:]/g, '').replace(/\s+/g, ' ').trim();
}

/** 'ДД.ММ.ГГГГ' (also Д.М.ГГГГ) or 'ГГГГ-ММ-ДД' → 'YYYY-MM-DD'; null when not a real date. */
export function parseDate(text: string): string | null {
  const value = text.trim();
  let year: number, month: number, day: number;
  let match = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(value);
  if (match) {
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const latinLookalikes: Record<string, string> = { A: 'А', B: 'В', E: 'Е', K: 'К', M: 'М', H: 'Н', O: 'О', P: 'Р', C: 'С', T: 'Т', X: 'Х', Y: 'У' };

/** «5 А», «5-а», «5A» (Latin A) → { grade 5, letter 'А', name '5А' }; null when not a class name. */
export function parseClassName(text: string): { grade: number; letter: string; name: string } | null {
  const compact = text
    .trim()
    .toUpperCase()
    .replace(/[\s\-«»"']/g, '')
    .replace(/[ABEKMHOPCTXY]/g, (ch) => latinLookalikes[ch] ?? ch);
  const match = /^(\d{1,2})([А-ЯЁ])$/.exec(compact);
  if (!match) return null;
  const grade = Number(match[1]);
  if (grade > 11) return null;
  return { grade, letter: match[2]!, name: `${grade}${match[2]}` };
}

export function parseGender(text: string): 'м' | 'ж' | '' | null {
  const value = text.trim().toLowerCase();
  if (value === '') return '';
  if (['м', 'муж', 'муж.', 'мужской'].includes(value)) return 'м';
  if (['ж', 'жен', 'жен.', 'женский'].includes(value)) return 'ж';
  return null;
}

/** Case, «ё» and spacing do not distinguish people. */
export function personKey(fullName: string): string {
  return fullName.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** «Иванова Мария Сергеевна» and «Иванова М. С.» share the key «иванова мс». */
export function initialsKey(fullName: string): string {
  const [surname = '', ...rest] = personKey(fullName).replace(/\./g, '. ').split(' ').filter(Boolean);
  return `${surname} ${rest.map((part) => part[0]).join('')}`;
}

const roleAliases: Record<string, Role> = {
  учитель: 'teacher',
  'учитель-предметник': 'teacher',
  педагог: 'teacher',
  администратор: 'administrator',
  'администратор эж': 'administrator',
  директор: 'director',
  завуч: 'deputy',
  заместитель: 'deputy',
  'заместитель директора': 'deputy',
  секретарь: 'secretary',
  психолог: 'psychologist',
  'социальный педагог': 'psychologist',
  логопед: 'psychologist',
  медик: 'medical',
  'медицинский работник': 'medical',
  медсестра: 'medical',
};
for (const role of roles) {
  roleAliases[personKey(roleTitles[role])] = role;
  roleAliases[role] = role;
}

/** «Учитель, секретарь» → roles; the names it does not know come back separately. */
export function parseRoles(text: string): { roles: Role[]; unknown: string[] } {
  const found = new Set<Role>();
  const unknown: string[] = [];
  for (const part of text.split(/[,;/]/).map((p) => personKey(p)).filter(Boolean)) {
    const role = roleAliases[part];
    if (role) found.add(role);
    else unknown.push(part);
  }
  return { roles: [...found], unknown };
}

const translit: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** «Иванова Мария Сергеевна» → 'ivanova.ms' (a login proposal; the caller makes it unique). */
export function loginFor(fullName: string): string {
  const latin = (word: string) => [...word.toLowerCase()].map((ch) => translit[ch] ?? (/[a-z0-9]/.test(ch) ? ch : '')).join('');
  const [surname = '', ...rest] = fullName.trim().split(/\s+/);
  const initials = rest.map((part) => latin(part).slice(0, 1)).join('');
  const base = latin(surname) || 'user';
  return initials ? `${base}.${initials}`.slice(0, 60) : base.slice(0, 60);
}

const passwordAlphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A temporary password to hand out on paper: unambiguous letters and digits. */
export function temporaryPassword(random: (n: number) => number): string {
  let result = '';
  for (let i = 0; i < 10; i++) result += passwordAlphabet[random(passwordAlphabet.length)];
  return result;
}
