import Papa from 'papaparse';
import type { AttendanceCode } from '../../src-shared/rules/attendance';
import { checkMark, scaleRange, type MarkRules } from '../../src-shared/rules/marks';

// What a teacher types into a journal cell: a mark of the school's scale, a special mark,
// or an attendance code. «н» is how absence is written on paper; it is stored as «ОТ».

export type Entry = { kind: 'mark'; value: string } | { kind: 'attendance'; code: 'ОТ' | 'ОП' } | { kind: 'clear' };
export type EntryResult = { ok: true; entry: Entry } | { ok: false; message: string };

const attendanceWords: Record<string, 'ОТ' | 'ОП'> = { н: 'ОТ', нб: 'ОТ', от: 'ОТ', оп: 'ОП' };
const reasonWords: Record<string, AttendanceCode> = { уп: 'УП', б: 'Б', нп: 'НП' };

export function parseEntry(raw: string, rules: MarkRules): EntryResult {
  const typed = raw.trim();
  if (typed === '' || typed === '-' || typed === '—') return { ok: true, entry: { kind: 'clear' } };
  const lower = typed.toLowerCase();
  const code = attendanceWords[lower];
  if (code) return { ok: true, entry: { kind: 'attendance', code } };
  const reason = reasonWords[lower];
  if (reason) return { ok: false, message: `Причину пропуска («${reason}») указывает классный руководитель; учитель ставит «н» (ОТ) или «оп» (ОП).` };
  const checked = checkMark(typed, rules);
  return checked.ok ? { ok: true, entry: { kind: 'mark', value: checked.value } } : { ok: false, message: checked.message };
}

/** Everything a cell accepts, spelled as typed (lower case). */
function accepted(rules: MarkRules, forFinal: boolean): string[] {
  const words: string[] = rules.specialMarks.map((mark) => mark.toLowerCase());
  if (!forFinal) words.push(...Object.keys(attendanceWords));
  const range = scaleRange(rules.scale);
  if (range) for (let n = range.min; n <= range.max; n++) words.push(String(n));
  else words.push('зач', 'незач');
  return words;
}

/**
 * True when the typed text is a whole entry that no longer one starts with: «5» on the
 * five-point scale or «оп» can be saved at once; «н» (could become «н/а») waits for Enter.
 */
export function isCompleteEntry(buffer: string, rules: MarkRules, forFinal = false): boolean {
  const lower = buffer.trim().toLowerCase();
  if (lower === '') return false;
  const words = accepted(rules, forFinal);
  return words.includes(lower) && !words.some((word) => word !== lower && word.startsWith(lower));
}

/**
 * A pasted block (from Excel: rows by lines, columns by tabs) as a grid of texts. Excel puts
 * a cell holding a line break or a quote in quotes («"5\n4"», «""» for a quote), so the
 * block is read as tab-separated values, not split by hand.
 */
export function parsePasted(text: string): string[][] {
  const rows = Papa.parse<string[]>(text.replace(/\r\n?/g, '\n'), { delimiter: '\t', newline: '\n', quoteChar: '"' }).data;
  while (rows.length > 0 && rows[rows.length - 1]!.every((cell) => cell.trim() === '')) rows.pop();
  return rows;
}

/** «5 4», «5,4» or «5;4» in one pasted cell: several marks. */
export function splitCellText(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}
