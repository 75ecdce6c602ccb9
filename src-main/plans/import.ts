import type { PlanImportResult } from '../../src-shared/contract/plans';
import { russianDate } from '../../src-shared/rules/dates';
import { hasRussianWords, MAX_PLAN_HOMEWORK, MAX_PLAN_ROWS, MAX_PLAN_SECTION, MAX_PLAN_TOPIC, russianWarning } from '../../src-shared/rules/plans';
import type { RawTable } from '../school/files/read-table';
import { unescapeSpreadsheetText } from '../school/files/cell-escape';
import { normalizeHeader, parseDate } from '../school/files/values';
import type { NewRow } from './rows';

// A КТП file as teachers keep it: a title or two, then a header row (found by its titles,
// not its place), lessons, section headings between them (often merged across the row),
// empty rows and an «Итого» line. Every problem is named with the spreadsheet's row number.

type Key = 'number' | 'section' | 'topic' | 'hours' | 'date' | 'week' | 'control' | 'workType' | 'homework';

const HEADER_SEARCH_ROWS = 15;

/** The column a header title stands for; null for columns the plan does not keep. */
function keyOf(title: string): Key | null {
  const h = normalizeHeader(title).replace(/\s*\([^)]*\)\s*$/, (m) => (/план/.test(m) ? ' план' : '')).trim();
  if (!h) return null;
  if (/факт|фактическ|скоррект|корректир|примечан/.test(h)) return null;
  if (/^(№|n|no|номер)( п\/п| урока| занятия)?$/.test(h) || h === 'п/п' || h === '№ п/п' || h === 'номер урока') return 'number';
  if (/^(раздел|модуль|глава|тема раздела|название раздела|раздел программы|раздел \/ тема)/.test(h)) return 'section';
  if (/д\/з|^дз$|домашн/.test(h)) return 'homework';
  if (/(^|[\s(])(тема|темы)(\s|$)|содержание урока/.test(h)) return 'topic';
  if (/^(час|часы|часов|кол-во часов|количество часов|кол\. час|кол-во ч|ч\.?)$/.test(h) || /количество часов|кол-во часов/.test(h)) return 'hours';
  if (/недел/.test(h)) return 'week';
  if (/дата|срок|^план$/.test(h)) return 'date';
  if (/^(к\/р|кр|контрольная работа|контроль)$/.test(h)) return 'control';
  if (/вид работ|вид контроля|форма контроля|тип урока|вид урока/.test(h)) return 'workType';
  return null;
}

export interface ParsedPlanFile {
  result: Omit<PlanImportResult, 'written' | 'plan'>;
  rows: NewRow[];
}

interface YearBounds {
  name: string;
  starts_on: string;
  ends_on: string;
}

function readDate(text: string, year: YearBounds): { date: string | null; error: string | null } {
  const value = text.trim();
  if (!value) return { date: null, error: null };
  // «01.09» without a year: the school year says which.
  const short = /^(\d{1,2})\.(\d{1,2})\.?$/.exec(value);
  const full = short ? `${short[1]}.${short[2]}.${Number(short[2]) >= 8 ? year.starts_on.slice(0, 4) : year.ends_on.slice(0, 4)}` : value;
  const date = parseDate(full);
  if (!date) return { date: null, error: `дата «${value}» не распознана: нужна дата вида 01.09.2026` };
  if (date < year.starts_on || date > year.ends_on) return { date: null, error: `дата ${russianDate(date)} вне учебного года ${year.name}` };
  return { date, error: null };
}

export function parsePlanFile(table: RawTable, year: YearBounds, workTypes: ReadonlyArray<{ id: number; name: string }>): ParsedPlanFile {
  const all = [{ row: 1, cells: table.header }, ...table.rows];
  const base = { format: table.format, encoding: table.encoding, sheet: table.sheetName ?? null, sheets: table.sheetNames ?? [] };
  // The header: the first row with a topic column and at least one other known column (a title
  // such as «Календарно-тематическое планирование» is not one).
  const headerAt = all.slice(0, HEADER_SEARCH_ROWS).findIndex((r) => {
    const keys = r.cells.map(keyOf);
    return keys.includes('topic') && keys.filter((k) => k !== null).length >= 2;
  });
  if (headerAt < 0) {
    return { result: { ...base, columns: [], rows: [], fileErrors: ['Не найден столбец с темами уроков: в первых строках файла нужен заголовок «Тема» или «Тема урока».'], errorRows: 0, plannedHours: 0 }, rows: [] };
  }
  const header = all[headerAt]!;
  const columns = new Map<Key, number>();
  const titles: string[] = [];
  header.cells.forEach((title, index) => {
    const key = keyOf(title);
    if (key && !columns.has(key)) {
      columns.set(key, index);
      titles.push(title.trim());
    }
  });
  const workTypeByName = new Map(workTypes.map((w) => [normalizeHeader(w.name), w.id]));
  const cell = (cells: string[], key: Key) => {
    const index = columns.get(key);
    return index === undefined ? '' : unescapeSpreadsheetText((cells[index] ?? '').trim());
  };

  const resultRows: PlanImportResult['rows'] = [];
  const rows: NewRow[] = [];
  let section = '';
  for (const { row, cells } of all.slice(headerAt + 1)) {
    if (cells.every((c) => !c.trim())) continue;
    const topic = cell(cells, 'topic').replace(/\s+/g, ' ');
    const numberText = cell(cells, 'number');
    const hoursText = cell(cells, 'hours');
    const sectionText = cell(cells, 'section').replace(/\s+/g, ' ');
    if (/^(итого|всего)/i.test(topic) || /^(итого|всего)/i.test(numberText) || /^(итого|всего)/i.test(sectionText)) continue;
    // A section heading: text with no lesson number (often a merged row «Раздел 1. Числа (20 ч)»).
    // A merged heading row keeps its text in its first cell, which may be the № column.
    const numberIsText = numberText !== '' && !/^\d+\.?$/.test(numberText);
    const heading =
      (numberIsText && !hoursText) ||
      (topic ? (columns.has('number') ? !numberText && !hoursText && !cell(cells, 'date') : /^(раздел|модуль|глава)(\s|$)/i.test(topic)) : !numberText && !hoursText);
    if (heading) {
      const title = (numberIsText ? numberText : '') || sectionText || topic;
      if (title) section = title.slice(0, MAX_PLAN_SECTION);
      continue;
    }
    if (sectionText) section = sectionText;
    const errors: string[] = [];
    const warnings: string[] = [];
    if (!topic) errors.push('не указана тема урока');
    if (topic.length > MAX_PLAN_TOPIC) errors.push(`тема длиннее ${MAX_PLAN_TOPIC} символов (${topic.length}): сократите её`);
    if (sectionText.length > MAX_PLAN_SECTION) errors.push(`название раздела длиннее ${MAX_PLAN_SECTION} символов`);
    let hours = 1;
    if (hoursText) {
      const parsed = Number(hoursText.replace(',', '.'));
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > 10) errors.push(`часы «${hoursText}»: нужно целое число от 1 до 10`);
      else hours = parsed;
    }
    const date = readDate(cell(cells, 'date'), year);
    if (date.error) errors.push(date.error);
    let week: number | null = null;
    const weekText = cell(cells, 'week');
    if (weekText) {
      const parsed = Number(weekText.replace(/[^\d]/g, '') || 'x');
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > 53) errors.push(`неделя «${weekText}»: нужен номер недели от 1 до 53`);
      else week = parsed;
    }
    const homework = cell(cells, 'homework');
    if (homework.length > MAX_PLAN_HOMEWORK) errors.push(`домашнее задание длиннее ${MAX_PLAN_HOMEWORK} символов`);
    const workTypeText = cell(cells, 'workType');
    const controlText = cell(cells, 'control').toLowerCase();
    let workTypeId: number | null = null;
    if (workTypeText) {
      workTypeId = workTypeByName.get(normalizeHeader(workTypeText)) ?? null;
      if (workTypeId === null && !/контрольн/i.test(workTypeText)) warnings.push(`вид работы «${workTypeText}» не найден в настройках школы — строка загрузится без него`);
    }
    const controlWork = /контрольн/i.test(workTypeText) || /контрольн/i.test(topic) || (controlText !== '' && !/^(нет|-|0)$/.test(controlText));
    const number = rows.length + 1;
    if (topic && !hasRussianWords(topic)) warnings.push(russianWarning(number));
    resultRows.push({ row, number, section, topic, hours, plannedDate: date.date, plannedWeek: week, controlWork, homework, errors, warnings });
    rows.push({ section, topic, hours, plannedDate: date.date, plannedWeek: week, controlWork, workTypeId, homework });
  }
  const fileErrors: string[] = [];
  if (rows.length === 0) fileErrors.push('В файле нет ни одного урока под заголовком.');
  if (rows.length > MAX_PLAN_ROWS) fileErrors.push(`В файле ${rows.length} уроков — больше ${MAX_PLAN_ROWS}: это не план одного предмета.`);
  return {
    result: {
      ...base,
      columns: titles,
      rows: resultRows,
      fileErrors,
      errorRows: resultRows.filter((r) => r.errors.length > 0).length,
      plannedHours: rows.reduce((s, r) => s + r.hours, 0),
    },
    rows,
  };
}
