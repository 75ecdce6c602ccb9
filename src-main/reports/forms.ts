import { sql } from 'kysely';
import type { ChartSpec, ReportColumn, ReportFilter, ReportForm, ReportRow, ReportView, ResultsGrouping } from '../../src-shared/contract/reports';
import { reportFormTitles, resultsGroupingTitles } from '../../src-shared/contract/reports';
import { russianDate } from '../../src-shared/rules/dates';
import { forbidden, invalid } from '../core/errors';
import { readSchool } from '../printing/repository';
import { shortName } from '../printing/model';
import { resolveYearId, schoolToday } from '../school/years';
import type { Db } from '../store/database';
import { classAverages, classFinals, classStudents, monthlyAbsences, monthsOf, monthTitle, schoolAttendance, subjectAbsences, type ClassAttendance } from './attendance';
import { suggestFinal } from '../../src-shared/rules/average';
import { scaleRange } from '../../src-shared/rules/marks';
import { controlLessons, controlLines, type ControlLine } from './control';
import { averageOf, dailySums, weeksOf } from './dynamics';
import { accessLines } from './access';
import { studentMovement } from '../school/people';
import { averageMark, classesWithoutMarks, learningDegree, numericValues, qualityShare, resultsFigures, successShare, totalOf, type ResultsFigures } from './results';
import { previousPeriod, rangeText, samePeriodLastYear, requireClassLead, requireFilterInScope, resolveRange, type PeriodRef, type ResolvedRange, type RowScope } from './scope';
import { loadWork, teacherLoads } from './teacher';

// Each form turns a filter into one report definition (columns, rows, chart, signatures);
// the screen, the PDF and the XLSX are all drawn from that definition (principle 12).

export interface FormInfo {
  form: ReportForm;
  description: string;
  /** Who the form is offered to besides the administration: everyone with reports.read, class teachers, or nobody. */
  offeredTo: 'everyone' | 'classTeachers' | 'administration';
}

export const formInfos: FormInfo[] = [
  { form: 'control', description: 'Уроки без темы и домашнего задания, поздние записи, ученики без отметок и с одной отметкой, невыясненные «ОТ» — по учителям, классам и предметам за даты.', offeredTo: 'everyone' },
  { form: 'controlLessons', description: 'Список уроков за даты: какие без темы, без домашнего задания, записаны с опозданием.', offeredTo: 'everyone' },
  { form: 'results', description: 'Отличники, хорошисты, с одной «3», неуспевающие, н/а; % успеваемости и качества, средний балл, СОУ — по классам, предметам или учителям, в сравнении с прошлым периодом.', offeredTo: 'everyone' },
  { form: 'subjectTeacher', description: 'По каждому своему классу и предмету за период или за год: итоговые «5»…«2», н/а, % успеваемости и качества, средний балл, СОУ; уроки по учебному плану, по КТП и данные; контрольные работы и их результаты.', offeredTo: 'everyone' },
  { form: 'classTeacher', description: 'Ученики класса по предметам: текущий средний балл, пропуски всего и по болезни, ученики группы риска (средний балл ниже «3», «н/а»); до конца периода — предварительный.', offeredTo: 'classTeachers' },
  { form: 'averageDynamics', description: 'Средний балл класса по предметам (или каждого ученика по одному предмету) по неделям периода и по периодам года, с графиком.', offeredTo: 'everyone' },
  { form: 'attendanceByMonth', description: 'Пропущенные уроки каждого ученика по месяцам, по болезни отдельно, с итогами.', offeredTo: 'classTeachers' },
  { form: 'schoolAttendance', description: 'Пропущенные уроки по классам за период или даты: всего, по болезни, по уважительной причине, без уважительной, невыясненные; опоздания; на одного ученика.', offeredTo: 'administration' },
  { form: 'access', description: 'Сколько дней каждый учитель входил в программу и сколько дней вёл журнал (по журналу изменений).', offeredTo: 'everyone' },
  { form: 'movement', description: 'Численность учащихся по классам на начало и конец дат, прибывшие и выбывшие с номерами приказов.', offeredTo: 'administration' },
];

interface Made {
  subtitle: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  chart: ChartSpec | null;
  signatures: string[];
  notes: string[];
  filter: ReportFilter;
}

/**
 * Headings a screen column of figures can carry at 1366 px, as Russian school reports shorten
 * them; the full heading stays in the PDF, the XLSX, on hover and for a screen reader.
 */
const shortTitles: Readonly<Record<string, string>> = {
  'Успеваемость, %': 'Усп., %',
  'Качество, %': 'Кач., %',
  'Средний балл': 'Ср. балл',
  'Итоговых отметок': 'Итог. отм.',
  'Часов по учебному плану': 'Часов по плану',
  'Контрольных работ': 'К/р',
  'К/р: успеваемость, %': 'К/р: усп., %',
  'К/р: качество, %': 'К/р: кач., %',
  'По уважительной причине': 'Уважит.',
  'Без уважительной причины': 'Неуважит.',
  'Невыясненные «ОТ»': '«ОТ»',
  'На одного ученика': 'На ученика',
  'Итого пропущено уроков': 'Пропущено',
  'Дней с записями в журнале': 'Дней с записями',
  'Дней со входом в программу': 'Дней со входом',
  'Учеников без отметок': 'Без отметок',
  'Отметки позже срока': 'Отметки с опозд.',
};

const col = (key: string, title: string, format: ReportColumn['format'], width?: number): ReportColumn => {
  const short = shortTitles[title];
  return { key, title, format, ...(width === undefined ? {} : { width }), ...(short === undefined ? {} : { short }) };
};
const row = (cells: ReportRow['cells'], drill: ReportRow['drill'] = null, total = false): ReportRow => ({ cells, drill, total });
const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function rangeFilter(filter: ReportFilter, range: ResolvedRange): ReportFilter {
  const resolved: ReportFilter = { ...filter, yearId: range.yearId };
  if (range.period) resolved.periodId = range.period.id;
  else {
    resolved.from = range.from;
    resolved.to = range.to;
  }
  return resolved;
}

function deputySignature(): string {
  return 'Заместитель директора по УВР ____________________';
}

async function directorSignature(db: Db): Promise<string> {
  const school = await readSchool(db);
  return `Директор ____________________ ${school.directorName ? shortName(school.directorName) : ''}`.trimEnd();
}

function loadLabel(line: Pick<ControlLine, 'subjectName' | 'subgroupName'>): string {
  return line.subgroupName ? `${line.subjectName} (${line.subgroupName})` : line.subjectName;
}

async function controlForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  const range = await resolveRange(db, now, filter);
  if (!range) return null;
  const lines = await controlLines(db, { yearId: range.yearId, from: range.from, to: range.to, filter, scope });
  const resolved = rangeFilter(filter, range);
  const drill = (line: ControlLine | null, issue: ReportFilter['issue']): ReportRow['drill'] => ({
    ...resolved,
    form: 'controlLessons',
    issue,
    ...(line ? { loadId: line.loadId } : {}),
  });
  const columns = [
    col('teacher', 'Учитель', 'text', 3),
    col('class', 'Класс', 'text', 1),
    col('subject', 'Предмет', 'text', 3),
    col('lessons', 'Уроков дано', 'int'),
    col('noTopic', 'Без темы', 'int'),
    col('noTopicShare', 'Без темы, %', 'percent'),
    col('noHomework', 'Без д/з', 'int'),
    col('noHomeworkShare', 'Без д/з, %', 'percent'),
    col('topicLate', 'Тема позже срока', 'int'),
    col('homeworkLate', 'Д/з позже срока', 'int'),
    col('marksLate', 'Отметки позже срока', 'int'),
    col('noMarks', 'Учеников без отметок', 'int'),
    col('oneMark', 'С одной отметкой', 'int'),
    col('unresolved', 'Невыясненные «ОТ»', 'int'),
  ];
  const cells = (l: Omit<ControlLine, 'loadId' | 'teacherId' | 'classId' | 'subjectId' | 'grade'>, teacher: string, className: string, subject: string) => ({
    teacher,
    class: className,
    subject,
    lessons: l.lessons,
    noTopic: l.noTopic,
    noTopicShare: share(l.noTopic, l.lessons),
    noHomework: l.noHomework,
    noHomeworkShare: share(l.noHomework, l.lessons),
    topicLate: l.topicLate,
    homeworkLate: l.homeworkLate,
    marksLate: l.marksLate,
    noMarks: l.noMarks ? null : l.studentsNoMarks,
    oneMark: l.noMarks ? null : l.studentsOneMark,
    unresolved: l.unresolvedAbsences,
  });
  const rows = lines.map((l) => row(cells(l, shortName(l.teacherName), l.className, loadLabel(l)), drill(l, 'all')));
  if (lines.length > 1) {
    const sum = (pick: (l: ControlLine) => number) => lines.reduce((total, l) => total + pick(l), 0);
    const total = {
      teacherName: '',
      className: '',
      subjectName: '',
      subgroupName: null,
      noMarks: false,
      lessons: sum((l) => l.lessons),
      noTopic: sum((l) => l.noTopic),
      noHomework: sum((l) => l.noHomework),
      topicLate: sum((l) => l.topicLate),
      homeworkLate: sum((l) => l.homeworkLate),
      marksLate: sum((l) => l.marksLate),
      studentsNoMarks: sum((l) => l.studentsNoMarks),
      studentsOneMark: sum((l) => l.studentsOneMark),
      unresolvedAbsences: sum((l) => l.unresolvedAbsences),
    };
    rows.push(row(cells(total, 'Итого', '', ''), drill(null, 'all'), true));
  }
  const notes = ['«Позже срока»: тема и отметки — не в день урока, домашнее задание — позже срока после уроков класса; время записи хранит журнал.'];
  if (lines.some((l) => l.noMarks)) notes.push('В классах безотметочного обучения отметки не ставятся: графы об отметках пусты.');
  if (lines.length === 0) notes.push('За эти даты нет нагрузки, по которой строится отчёт.');
  return { subtitle: rangeText(range), columns, rows, chart: null, signatures: [deputySignature()], notes, filter: resolved };
}

const ISSUE_TITLES = { noTopic: 'без темы', noHomework: 'без домашнего задания', late: 'с записями позже срока', all: 'все' } as const;

async function controlLessonsForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  const range = await resolveRange(db, now, filter);
  if (!range) return null;
  const issue = filter.issue ?? 'all';
  const lessons = await controlLessons(db, { yearId: range.yearId, from: range.from, to: range.to, filter, scope, issue });
  const columns = [
    col('date', 'Дата', 'date', 1.3),
    col('number', 'Урок', 'int', 0.7),
    col('class', 'Класс', 'text', 0.8),
    col('subject', 'Предмет', 'text', 2.5),
    col('teacher', 'Учитель', 'text', 2.2),
    col('topic', 'Тема', 'text', 4),
    col('homework', 'Домашнее задание', 'text', 3),
    col('late', 'Позже срока', 'text', 1.5),
  ];
  const rows = lessons.map((l) =>
    row(
      {
        date: l.date,
        number: l.lessonNumber,
        class: l.className,
        subject: l.subgroupName ? `${l.subjectName} (${l.subgroupName})` : l.subjectName,
        teacher: shortName(l.teacherName),
        topic: l.topic.trim() === '' ? '— нет —' : l.topic,
        homework: l.homework.trim() === '' ? '— нет —' : l.homework,
        late: [l.topicLate ? 'тема' : '', l.homeworkLate ? 'д/з' : ''].filter(Boolean).join(', '),
      },
      null,
    ),
  );
  const notes = lessons.length === 0 ? ['Таких уроков за эти даты нет.'] : [];
  return { subtitle: `${rangeText(range)} · уроки: ${ISSUE_TITLES[issue]}`, columns, rows, chart: null, signatures: [], notes, filter: { ...rangeFilter(filter, range), issue } };
}

async function resultsForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  const range = await resolveRange(db, now, filter, true);
  if (!range || !range.period) return null;
  const period = range.period;
  const groupBy: ResultsGrouping = filter.groupBy ?? 'class';
  const school = await readSchool(db);
  const base = { yearId: range.yearId, groupBy, classId: filter.classId, subjectId: filter.subjectId, teacherId: filter.teacherId, scope, scale: school.settings.scale };
  const current = await resultsFigures(db, { ...base, period });
  const before = await previousPeriod(db, period);
  const previous = before ? await resultsFigures(db, { ...base, period: before }) : [];
  const previousByKey = new Map(previous.map((p) => [p.key, p]));
  // The same period a year ago: subjects and teachers are the same rows; a class of last
  // year is another class (its pupils moved up), so by class only the school's line compares.
  const perClass = groupBy === 'class';
  const yearAgo = !perClass || current.length > 1 ? await samePeriodLastYear(db, period) : null;
  const lastYear = yearAgo ? await resultsFigures(db, { ...base, classId: undefined, yearId: (await db.selectFrom('study_period').select('year_id').where('id', '=', yearAgo.id).executeTakeFirstOrThrow()).year_id, period: yearAgo }) : [];
  const lastYearByKey = new Map(lastYear.map((p) => [p.key, p]));
  const columns = [
    col('name', perClass ? 'Класс' : groupBy === 'subject' ? 'Предмет' : 'Учитель', 'text', perClass ? 1 : 3),
    col('students', perClass ? 'Учеников' : 'Итоговых отметок', 'int'),
    col('excellent', perClass ? 'Отличники' : '«5»', 'int'),
    col('good', perClass ? 'Хорошисты' : '«4»', 'int'),
    col('oneThree', perClass ? 'С одной «3»' : '«3»', 'int'),
    col('failing', perClass ? 'Неуспевающие' : '«2»', 'int'),
    col('notAttested', 'Н/а', 'int'),
    ...(perClass ? [col('noFinals', 'Без итоговых', 'int')] : []),
    col('success', 'Успеваемость, %', 'percent'),
    col('quality', 'Качество, %', 'percent'),
    col('average', 'Средний балл', 'decimal'),
    col('degree', 'СОУ, %', 'percent'),
    ...(before ? [col('successBefore', `Успеваемость, % (${before.name})`, 'percent'), col('qualityBefore', `Качество, % (${before.name})`, 'percent')] : []),
    ...(yearAgo ? [col('successYearAgo', `Успеваемость, % (${yearAgo.name} прошлого года)`, 'percent'), col('qualityYearAgo', `Качество, % (${yearAgo.name} прошлого года)`, 'percent')] : []),
  ];
  const cells = (f: ResultsFigures, previousFigures: ResultsFigures | undefined, yearAgoFigures?: ResultsFigures) => ({
    name: f.label,
    students: f.students,
    excellent: f.excellent,
    good: f.good,
    oneThree: f.oneThree,
    failing: f.failing,
    notAttested: f.notAttested,
    ...(perClass ? { noFinals: f.noFinals } : {}),
    success: successShare(f),
    quality: qualityShare(f),
    average: averageMark(f),
    degree: learningDegree(f),
    ...(before ? { successBefore: previousFigures ? successShare(previousFigures) : null, qualityBefore: previousFigures ? qualityShare(previousFigures) : null } : {}),
    ...(yearAgo ? { successYearAgo: yearAgoFigures ? successShare(yearAgoFigures) : null, qualityYearAgo: yearAgoFigures ? qualityShare(yearAgoFigures) : null } : {}),
  });
  const resolved = { ...rangeFilter(filter, range), groupBy };
  const rows = current.map((f) => {
    const drill: ReportRow['drill'] = perClass ? { ...resolved, groupBy: 'subject', classId: f.key } : null;
    return row(cells(f, previousByKey.get(f.key), perClass ? undefined : lastYearByKey.get(f.key)), drill);
  });
  const lastYearTotal = yearAgo && lastYear.length > 0 ? totalOf(lastYear, '') : undefined;
  if (current.length > 1) rows.push(row(cells(totalOf(current, 'Итого по школе'), before ? totalOf(previous, '') : undefined, lastYearTotal), null, true));
  const notes = [
    'Успеваемость — доля учеников без «2» и «н/а» за период; качество — доля отличников и хорошистов; СОУ — степень обученности (5 — 100 %, 4 — 64 %, 3 — 36 %, 2 — 16 %, «н/а» — 0).',
    'Ученики учитываются по списку класса на последний день периода; отложенные итоговые отметки не учитываются.',
  ];
  const withoutMarks = await classesWithoutMarks(db, range.yearId, period, filter.classId);
  if (withoutMarks.length > 0) notes.push(`Без отметок (безотметочное обучение): ${withoutMarks.join(', ')}.`);
  if (current.length === 0) notes.push('Итоговых отметок за этот период нет.');
  const chart: ChartSpec | null =
    perClass && current.length > 0
      ? {
          kind: 'bar',
          title: 'Успеваемость и качество по классам',
          categories: current.map((f) => f.label),
          series: [
            { name: 'Успеваемость, %', values: current.map((f) => percent(successShare(f))) },
            { name: 'Качество, %', values: current.map((f) => percent(qualityShare(f))) },
          ],
          unit: '%',
          max: 100,
        }
      : null;
  return {
    subtitle: `${period.name} ${range.yearName} учебного года · ${resultsGroupingTitles[groupBy]}`,
    columns,
    rows,
    chart,
    signatures: [deputySignature(), await directorSignature(db)],
    notes,
    filter: resolved,
  };
}

/**
 * D-30; 004 §4.1 «Отчёт учителя-предметника по окончании учебных периодов и итоговый»: one
 * teacher's loads for a period (its finals) or the year (the year finals). A teacher gets only
 * their own; the administration any teacher's.
 */
async function subjectTeacherForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  const teacherId = filter.teacherId ?? (scope.all ? undefined : scope.userId);
  if (teacherId === undefined) throw invalid('Выберите учителя.', [{ path: 'teacherId', message: 'Выберите учителя' }]);
  if (!scope.all && teacherId !== scope.userId) throw forbidden('Отчёт учителя-предметника по другому учителю доступен заместителю директора и директору.');
  const teacher = await db.selectFrom('app_user').select('full_name').where('id', '=', teacherId).executeTakeFirst();
  if (!teacher) throw invalid('Учитель не найден.', [{ path: 'teacherId', message: 'Нет такого учителя' }]);
  // A period: its finals; no period: the year and its year finals.
  let range: ResolvedRange | null;
  let finals: { period: PeriodRef; kind: 'period' | 'year' };
  if (filter.periodId !== undefined) {
    range = await resolveRange(db, now, filter, true);
    if (!range?.period) return null;
    finals = { period: range.period, kind: 'period' };
  } else {
    if (filter.from !== undefined || filter.to !== undefined) {
      throw invalid('Отчёт учителя составляется за учебный период или за год: выберите период или оставьте «за учебный год».', [{ path: 'periodId', message: 'Выберите период' }]);
    }
    const today = await schoolToday(db, now);
    const yearId = await resolveYearId(db, filter.yearId, today);
    if (yearId === null) return null;
    const year = await db.selectFrom('academic_year').select(['id', 'name', 'starts_on', 'ends_on']).where('id', '=', yearId).executeTakeFirstOrThrow();
    const span = await db.selectFrom('study_period').select([(eb) => eb.fn.min('starts_on').as('from'), (eb) => eb.fn.max('ends_on').as('to')]).where('year_id', '=', yearId).executeTakeFirst();
    const from = span?.from ?? year.starts_on;
    const to = span?.to ?? year.ends_on;
    range = { yearId, yearName: year.name, from, to, period: null, today };
    finals = { period: { id: 0, name: 'Год', kind: 'year', number: 0, startsOn: from, endsOn: to, gradeFrom: 0, gradeTo: 99 }, kind: 'year' };
  }
  const school = await readSchool(db);
  const loads = await teacherLoads(db, { yearId: range.yearId, teacherId, classId: filter.classId, subjectId: filter.subjectId });
  // Lessons, hours and control works as of today while the period runs.
  const upTo = range.to > range.today ? range.today : range.to;
  const [figures, work] = await Promise.all([
    resultsFigures(db, { period: finals.period, finalKind: finals.kind, yearId: range.yearId, groupBy: 'load', classId: filter.classId, subjectId: filter.subjectId, teacherId, scope: { all: true }, scale: school.settings.scale }),
    loadWork(db, { yearId: range.yearId, loads, from: range.from, to: upTo, scale: school.settings.scale }),
  ]);
  const byLoad = new Map(figures.map((f) => [f.key, f]));
  const columns = [
    col('class', 'Класс', 'text', 1),
    col('subject', 'Предмет', 'text', 3),
    col('students', 'Итоговых отметок', 'int'),
    // Narrow counts, wider words: no header word is broken on paper.
    col('n5', '«5»', 'int', 0.6),
    col('n4', '«4»', 'int', 0.6),
    col('n3', '«3»', 'int', 0.6),
    col('n2', '«2»', 'int', 0.6),
    col('notAttested', 'Н/а', 'int', 0.6),
    col('success', 'Успеваемость, %', 'percent', 1.4),
    col('quality', 'Качество, %', 'percent', 1.1),
    col('average', 'Средний балл', 'decimal'),
    col('degree', 'СОУ, %', 'percent'),
    col('curriculum', 'Часов по учебному плану', 'int', 1.1),
    col('programme', 'Часов по КТП', 'int'),
    col('given', 'Дано уроков', 'int'),
    col('controlWorks', 'Контрольных работ', 'int', 1.4),
    col('worksSuccess', 'К/р: успеваемость, %', 'percent', 1.4),
    col('worksQuality', 'К/р: качество, %', 'percent', 1.1),
  ];
  const empty: ResultsFigures = { key: 0, label: '', students: 0, excellent: 0, good: 0, oneThree: 0, failing: 0, notAttested: 0, noFinals: 0, passing: 0, n5: 0, n4: 0, n3: 0, n2: 0, nna: 0, numeric: 0, sum: 0 };
  const cells = (className: string, subject: string, f: ResultsFigures, w: { given: number; curriculum: number; programme: number | null; controlWorks: number; worksMarks: number; worksPassed: number; worksGood: number }, noMarks: boolean) => ({
    class: className,
    subject,
    students: noMarks ? null : f.students,
    n5: noMarks ? null : f.n5,
    n4: noMarks ? null : f.n4,
    n3: noMarks ? null : f.n3,
    n2: noMarks ? null : f.n2,
    notAttested: noMarks ? null : f.nna,
    success: successShare(f),
    quality: qualityShare(f),
    average: averageMark(f),
    degree: learningDegree(f),
    curriculum: w.curriculum,
    programme: w.programme,
    given: w.given,
    controlWorks: w.controlWorks,
    worksSuccess: share(w.worksPassed, w.worksMarks),
    worksQuality: share(w.worksGood, w.worksMarks),
  });
  const rows = loads.map((load) => {
    const w = work.get(load.id)!;
    return row(cells(load.className, load.subgroupName ? `${load.subjectName} (${load.subgroupName})` : load.subjectName, byLoad.get(load.id) ?? empty, w, load.noMarks));
  });
  if (loads.length > 1) {
    const all = [...work.values()];
    const sum = (pick: (w: (typeof all)[number]) => number) => all.reduce((total, w) => total + pick(w), 0);
    const planned = all.filter((w) => w.programme !== null);
    rows.push(
      row(
        cells(
          'Итого',
          '',
          totalOf(figures, ''),
          {
            given: sum((w) => w.given),
            curriculum: sum((w) => w.curriculum),
            programme: planned.length > 0 ? planned.reduce((total, w) => total + w.programme!, 0) : null,
            controlWorks: sum((w) => w.controlWorks),
            worksMarks: sum((w) => w.worksMarks),
            worksPassed: sum((w) => w.worksPassed),
            worksGood: sum((w) => w.worksGood),
          },
          false,
        ),
        null,
        true,
      ),
    );
  }
  const notes = [
    `Итоговые отметки ${finals.kind === 'year' ? 'за год' : 'за период'}: успеваемость — доля отметок без «2» и «н/а», качество — доля «5» и «4»; СОУ — степень обученности (5 — 100 %, 4 — 64 %, 3 — 36 %, 2 — 16 %, «н/а» — 0); отсроченные не учитываются.`,
    'Часы по учебному плану — часы в неделю по учебному плану, умноженные на учебные дни этих дат без каникул (пятидневная неделя); по КТП — часы тем, запланированных на эти даты; дано — уроки, записанные в журнал.',
    'Контрольные работы — по графику контрольных работ и по темам КТП, отмеченным как контрольные; их результаты — отметки, выставленные на этих уроках.',
  ];
  if (upTo < range.to) notes.push(`Уроки, часы и контрольные работы учтены по ${russianDate(upTo)} (сегодня).`);
  if (loads.some((l) => l.noMarks)) notes.push('В классах безотметочного обучения итоговых отметок нет.');
  if (loads.length === 0) notes.push('У учителя нет нагрузки в этом учебном году.');
  else if (figures.length === 0) notes.push(`Итоговых отметок ${finals.kind === 'year' ? 'за год' : 'за этот период'} ещё нет.`);
  const teacherShort = shortName(teacher.full_name);
  return {
    subtitle: `${teacherShort} · ${range.period ? `${range.period.name} ${range.yearName} учебного года` : `${range.yearName} учебный год`}`,
    columns,
    rows,
    chart: null,
    signatures: [`Учитель ____________________ ${teacherShort}`, deputySignature()],
    notes,
    filter: range.period ? { ...rangeFilter(filter, range), teacherId } : { ...filter, yearId: range.yearId, teacherId },
  };
}

function percent(fraction: number | null): number | null {
  return fraction === null ? null : Math.round(fraction * 1000) / 10;
}

async function attendanceForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  if (filter.classId === undefined) throw invalid('Выберите класс.', [{ path: 'classId', message: 'Выберите класс' }]);
  await requireClassLead(db, scope, filter.classId);
  const schoolClass = await db.selectFrom('school_class').select(['name', 'year_id', 'class_teacher_id']).where('id', '=', filter.classId).executeTakeFirstOrThrow();
  // With no dates or period: the class's whole year so far.
  let range: ResolvedRange | null;
  if (filter.periodId === undefined && filter.from === undefined && filter.to === undefined) {
    const year = await db.selectFrom('academic_year').selectAll().where('id', '=', schoolClass.year_id).executeTakeFirstOrThrow();
    const yearRange = await resolveRange(db, now, { ...filter, yearId: year.id });
    const today = yearRange?.today ?? year.ends_on;
    const to = today < year.ends_on && today >= year.starts_on ? today : year.ends_on;
    range = { yearId: year.id, yearName: year.name, from: year.starts_on, to, period: null, today };
  } else {
    range = await resolveRange(db, now, filter);
  }
  if (!range) return null;
  const [students, absences] = await Promise.all([classStudents(db, filter.classId, range.from, range.to), monthlyAbsences(db, filter.classId, range.from, range.to)]);
  const months = monthsOf(range.from, range.to);
  const columns = [
    col('student', 'Ученик', 'text', 4),
    ...months.flatMap((m) => [col(`${m}:all`, `${monthTitle(m)}: всего`, 'int'), col(`${m}:ill`, `${monthTitle(m)}: по болезни`, 'int')]),
    col('total', 'Итого пропущено уроков', 'int'),
    col('totalIll', 'Из них по болезни', 'int'),
    col('unexcused', 'Без уважительной причины', 'int'),
  ];
  const byStudent = new Map<number, typeof absences>();
  for (const a of absences) byStudent.set(a.studentId, [...(byStudent.get(a.studentId) ?? []), a]);
  const cellsOf = (label: string, list: typeof absences) => {
    const cells: ReportRow['cells'] = { student: label };
    for (const m of months) {
      const inMonth = list.filter((a) => a.month === m);
      cells[`${m}:all`] = inMonth.reduce((s, a) => s + a.missed, 0);
      cells[`${m}:ill`] = inMonth.reduce((s, a) => s + a.ill, 0);
    }
    cells.total = list.reduce((s, a) => s + a.missed, 0);
    cells.totalIll = list.reduce((s, a) => s + a.ill, 0);
    cells.unexcused = list.reduce((s, a) => s + a.unexcused, 0);
    return cells;
  };
  const listed = new Set(students.map((s) => s.id));
  const rows = students.map((s) => {
    const notes = [s.arrivedOn > range.from ? `приб. ${russianDate(s.arrivedOn)}` : '', s.departedOn && s.departedOn < range.to ? `выб. ${russianDate(s.departedOn)}` : ''].filter(Boolean);
    return row(cellsOf(notes.length > 0 ? `${s.name} (${notes.join(', ')})` : s.name, byStudent.get(s.id) ?? []));
  });
  rows.push(row(cellsOf('Итого по классу', absences.filter((a) => listed.has(a.studentId))), null, true));
  const classTeacher = schoolClass.class_teacher_id
    ? await db.selectFrom('app_user').select('full_name').where('id', '=', schoolClass.class_teacher_id).executeTakeFirst()
    : undefined;
  const chart: ChartSpec = {
    kind: 'bar',
    title: 'Пропущено уроков по месяцам',
    categories: months.map(monthTitle),
    series: [
      { name: 'Всего', values: months.map((m) => absences.filter((a) => a.month === m && listed.has(a.studentId)).reduce((s, a) => s + a.missed, 0)) },
      { name: 'По болезни', values: months.map((m) => absences.filter((a) => a.month === m && listed.has(a.studentId)).reduce((s, a) => s + a.ill, 0)) },
    ],
    unit: 'уроков',
    max: null,
  };
  const unresolved = absences.reduce((s, a) => s + a.unresolved, 0);
  const notes = ['Опоздания («ОП») пропуском не считаются.'];
  if (unresolved > 0) notes.push(`Невыясненных «ОТ» за эти даты: ${unresolved} — причина ещё не указана классным руководителем.`);
  return {
    subtitle: `${schoolClass.name} класс · ${rangeText(range)}`,
    columns,
    rows,
    chart,
    signatures: [`Классный руководитель ____________________ ${classTeacher ? shortName(classTeacher.full_name) : ''}`.trimEnd()],
    notes,
    filter: { ...rangeFilter(filter, range), classId: filter.classId },
  };
}

/** D-29, D-31: the school's missed lessons by class and reason over a period or dates; the administration. */
async function schoolAttendanceForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  if (!scope.all) throw forbidden('Сводка посещаемости по школе доступна администрации школы.');
  const range = await resolveRange(db, now, filter);
  if (!range) return null;
  const classes = await schoolAttendance(db, { yearId: range.yearId, from: range.from, to: range.to, classId: filter.classId });
  const resolved = rangeFilter(filter, range);
  const columns = [
    col('class', 'Класс', 'text', 1.5),
    col('students', 'Учеников', 'int'),
    col('missed', 'Пропущено уроков', 'int'),
    col('ill', 'По болезни', 'int'),
    col('excused', 'По уважительной причине', 'int'),
    col('unexcused', 'Без уважительной причины', 'int'),
    col('unresolved', 'Невыясненные «ОТ»', 'int'),
    col('perStudent', 'На одного ученика', 'decimal'),
    col('late', 'Опозданий', 'int'),
  ];
  const cells = (label: string, c: Omit<ClassAttendance, 'classId' | 'className'>) => ({
    class: label,
    students: c.students,
    missed: c.missed,
    ill: c.ill,
    excused: c.excused,
    unexcused: c.unexcused,
    unresolved: c.unresolved,
    perStudent: c.students === 0 ? null : c.missed / c.students,
    late: c.late,
  });
  const rows = classes.map((c) => row(cells(c.className, c), { ...resolved, form: 'attendanceByMonth', classId: c.classId }));
  if (classes.length > 1) {
    const sum = (key: keyof Omit<ClassAttendance, 'classId' | 'className'>) => classes.reduce((total, c) => total + c[key], 0);
    rows.push(
      row(
        cells('Итого по школе', { students: sum('students'), missed: sum('missed'), ill: sum('ill'), excused: sum('excused'), unexcused: sum('unexcused'), unresolved: sum('unresolved'), late: sum('late') }),
        null,
        true,
      ),
    );
  }
  const chart: ChartSpec | null =
    classes.length > 0
      ? {
          kind: 'bar',
          title: 'Пропущено уроков по классам',
          categories: classes.map((c) => c.className),
          series: [
            { name: 'По болезни', values: classes.map((c) => c.ill) },
            { name: 'По уважительной причине', values: classes.map((c) => c.excused) },
            { name: 'Без уважительной причины', values: classes.map((c) => c.unexcused) },
            { name: 'Невыясненные «ОТ»', values: classes.map((c) => c.unresolved) },
          ],
          unit: 'уроков',
          max: null,
        }
      : null;
  const notes = [
    'Пропущенные уроки — отметки «Б», «УП», «НП» и «ОТ» во всех уроках класса (урок подгруппы — у её учеников); опоздания («ОП») пропуском не считаются.',
    `Учеников — по списку класса на ${russianDate(range.to)}; на одного ученика — пропущенные уроки, делённые на них.`,
  ];
  if (classes.length === 0) notes.push('В этом учебном году нет классов.');
  return { subtitle: rangeText(range), columns, rows, chart, signatures: [deputySignature()], notes, filter: resolved };
}

/** «Many absences» for the risk group: at least this share of a subject's lessons, and at least this many. */
export const MANY_ABSENCES = { share: 0.3, lessons: 3 } as const;

/** D-31: the class teacher's report, preliminary while the period runs. */
async function classTeacherForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  if (filter.classId === undefined) throw invalid('Выберите класс.', [{ path: 'classId', message: 'Выберите класс' }]);
  await requireClassLead(db, scope, filter.classId);
  const schoolClass = await db.selectFrom('school_class').select(['name', 'no_marks', 'class_teacher_id']).where('id', '=', filter.classId).executeTakeFirstOrThrow();
  const range = await resolveRange(db, now, filter);
  if (!range) return null;
  const school = await readSchool(db);
  const [students, absences, bySubject, averages, subjects] = await Promise.all([
    classStudents(db, filter.classId, range.from, range.to),
    monthlyAbsences(db, filter.classId, range.from, range.to),
    subjectAbsences(db, filter.classId, range.from, range.to),
    classAverages(db, filter.classId, range.from, range.to, numericValues(school.settings.scale)),
    db
      .selectFrom('teaching_load as tl')
      .innerJoin('subject as s', 's.id', 'tl.subject_id')
      .select(['s.id', 's.name', 's.sort_order'])
      .distinct()
      .where('tl.class_id', '=', filter.classId)
      .orderBy('s.sort_order')
      .orderBy('s.name')
      .execute(),
  ]);
  const noMarks = Number(schoolClass.no_marks) === 1;
  const preliminary = range.to >= range.today;
  // After the period: its finals (D-31); before, the current weighted averages.
  const finals = !preliminary && range.period && !noMarks ? await classFinals(db, filter.classId, range.period.id) : null;
  const columns = [
    col('student', 'Ученик', 'text', 4),
    ...(noMarks ? [] : subjects.map((subject) => col(`subject:${subject.id}`, subject.name, finals ? 'int' : 'decimal'))),
    col('missed', 'Пропущено уроков', 'int'),
    col('ill', 'Из них по болезни', 'int'),
    col('risk', 'Группа риска', 'text', 3),
  ];
  const passMark = school.settings.scale === 'five' ? 3 : null;
  const lowest = scaleRange(school.settings.scale);
  const rows = students.map((student) => {
    const cells: ReportRow['cells'] = { student: student.name };
    const risks: string[] = [];
    for (const subject of subjects) {
      if (finals) {
        const final = finals.find((f) => f.studentId === student.id && f.subjectId === subject.id);
        const value = final ? (final.deferred ? 'отср.' : final.value) : '';
        cells[`subject:${subject.id}`] = value === '' ? null : /^\d+$/.test(value) ? Number(value) : value;
        if (passMark !== null && /^\d+$/.test(value) && Number(value) < passMark) risks.push(`«${value}» за период: ${subject.name}`);
        if (value === 'н/а') risks.push(`«н/а»: ${subject.name}`);
        continue;
      }
      const found = averages.find((a) => a.studentId === student.id && a.subjectId === subject.id);
      if (!noMarks) cells[`subject:${subject.id}`] = found?.average ?? null;
      // The final the average so far gives by the school's rounding rule, as the teacher is offered it.
      const forecast = noMarks || !lowest ? null : suggestFinal(found?.average ?? null, school.settings);
      if (forecast !== null && Number(forecast) <= lowest!.min) risks.push(`прогноз «${forecast}»: ${subject.name}`);
      if (found && found.notAttested > 0) risks.push(`«н/а»: ${subject.name}`);
    }
    for (const subject of subjects) {
      const attended = bySubject.find((a) => a.studentId === student.id && a.subjectId === subject.id);
      if (attended && attended.missed >= MANY_ABSENCES.lessons && attended.missed >= attended.lessons * MANY_ABSENCES.share) {
        risks.push(`пропущено ${Math.round((attended.missed / attended.lessons) * 100)} % уроков: ${subject.name}`);
      }
    }
    const own = absences.filter((a) => a.studentId === student.id);
    cells.missed = own.reduce((sum, a) => sum + a.missed, 0);
    cells.ill = own.reduce((sum, a) => sum + a.ill, 0);
    cells.risk = risks.join('; ');
    return row(cells);
  });
  const classTeacher = schoolClass.class_teacher_id ? await db.selectFrom('app_user').select('full_name').where('id', '=', schoolClass.class_teacher_id).executeTakeFirst() : undefined;
  const notes = [
    preliminary
      ? 'Предварительный отчёт: период ещё не закончился, средние баллы текущие.'
      : finals
        ? 'Отметки за период; «отср.» — итоговая отметка отсрочена, пусто — не выставлена.'
        : 'Средние баллы — взвешенные по видам работ за весь период.',
  ];
  if (noMarks) notes.push('В классе безотметочное обучение: средних баллов нет.');
  notes.push(
    `Группа риска: ${finals ? '«2» или «н/а» за период' : 'прогноз «2» по среднему баллу (округление по правилу школы), «н/а»'}; пропущено не меньше ${Math.round(MANY_ABSENCES.share * 100)} % уроков предмета (и не меньше ${MANY_ABSENCES.lessons}), по любой причине.`,
  );
  return {
    subtitle: `${schoolClass.name} класс · ${rangeText(range)}${preliminary ? ' · предварительный' : ''}`,
    columns,
    rows,
    chart: null,
    signatures: [`Классный руководитель ____________________ ${classTeacher ? shortName(classTeacher.full_name) : ''}`.trimEnd()],
    notes,
    filter: { ...rangeFilter(filter, range), classId: filter.classId },
  };
}

/** D-30: the class's weighted averages by subject (or by student in one subject) over weeks and periods. */
async function averageDynamicsForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  if (filter.classId === undefined) throw invalid('Выберите класс.', [{ path: 'classId', message: 'Выберите класс' }]);
  const classId = filter.classId;
  const schoolClass = await db.selectFrom('school_class').select(['name', 'grade', 'no_marks', 'year_id']).where('id', '=', classId).executeTakeFirst();
  if (!schoolClass) throw invalid('Класс не найден.', [{ path: 'classId', message: 'Нет такого класса' }]);
  const range = await resolveRange(db, now, { ...filter, yearId: filter.yearId ?? schoolClass.year_id });
  if (!range) return null;
  const school = await readSchool(db);
  const year = await db.selectFrom('academic_year').select(['starts_on']).where('id', '=', schoolClass.year_id).executeTakeFirstOrThrow();
  const periods = await db
    .selectFrom('study_period')
    .select(['id', 'name', 'starts_on', 'ends_on'])
    .where('year_id', '=', schoolClass.year_id)
    .where('grade_from', '<=', schoolClass.grade)
    .where('grade_to', '>=', schoolClass.grade)
    .where('starts_on', '<=', range.to)
    .orderBy('starts_on')
    .execute();
  const perStudent = filter.subjectId !== undefined;
  // Sums from the year's first day: the weeks of the range and every period so far.
  const sums = await dailySums(db, { classId, from: year.starts_on, to: range.to, numericValues: numericValues(school.settings.scale), subjectId: filter.subjectId, scope });
  const weeks = weeksOf(range.from, range.to);
  const weekEnd = (monday: string) => {
    const day = new Date(`${monday}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 6);
    return day.toISOString().slice(0, 10);
  };
  const inWeek = (monday: string) => (date: string) => date >= monday && date <= weekEnd(monday) && date >= range.from && date <= range.to;
  const weekTitle = (monday: string) => `с ${russianDate(monday < range.from ? range.from : monday).slice(0, 5)}`;
  const me = scope.all ? null : scope.userId;
  let lines: { key: number; label: string }[];
  if (perStudent) {
    lines = (await classStudents(db, classId, range.from, range.to)).map((st) => ({ key: st.id, label: st.name }));
  } else {
    lines = await db
      .selectFrom('teaching_load as tl')
      .innerJoin('subject as s', 's.id', 'tl.subject_id')
      .innerJoin('school_class as c', 'c.id', 'tl.class_id')
      .select(['s.id as key', 's.name as label', 's.sort_order'])
      .distinct()
      .where('tl.class_id', '=', classId)
      .$if(me !== null, (q) => q.where((eb) => eb.or([eb('tl.teacher_id', '=', me!), eb('c.class_teacher_id', '=', me!)])))
      .orderBy('s.sort_order')
      .orderBy('s.name')
      .execute();
  }
  const columns = [
    col('name', perStudent ? 'Ученик' : 'Предмет', 'text', 3),
    ...weeks.map((w) => col(`w:${w}`, weekTitle(w), 'decimal')),
    ...periods.map((p) => col(`p:${p.id}`, p.name, 'decimal')),
  ];
  const cellsOf = (label: string, own: typeof sums) => {
    const cells: ReportRow['cells'] = { name: label };
    for (const w of weeks) cells[`w:${w}`] = averageOf(own, inWeek(w));
    for (const p of periods) cells[`p:${p.id}`] = averageOf(own, (d) => d >= p.starts_on && d <= p.ends_on);
    return cells;
  };
  const byKey = new Map<number, typeof sums>();
  for (const s of sums) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
  const rows = lines.map((l) => row(cellsOf(l.label, byKey.get(l.key) ?? [])));
  const subjectName = perStudent ? ((await db.selectFrom('subject').select('name').where('id', '=', filter.subjectId!).executeTakeFirst())?.name ?? '') : '';
  if (perStudent) {
    const listed = new Set(lines.map((l) => l.key));
    rows.push(row(cellsOf('Класс в целом', sums.filter((s) => listed.has(s.key))), null, true));
  }
  const series = perStudent
    ? [{ name: `${schoolClass.name}, ${subjectName}`, values: weeks.map((w) => rounded(averageOf(sums, inWeek(w)))) }]
    : lines.map((l) => ({ name: l.label, values: weeks.map((w) => rounded(averageOf(byKey.get(l.key) ?? [], inWeek(w)))) }));
  const noMarks = Number(schoolClass.no_marks) === 1;
  const notes = ['Средний балл — взвешенный по видам работ: сумма отметок, умноженных на вес, делённая на сумму весов; «н/а» и зачёты не учитываются.'];
  if (noMarks) notes.push('В классе безотметочное обучение: средних баллов нет.');
  else if (sums.length === 0) notes.push('За эти даты отметок нет.');
  return {
    subtitle: `${schoolClass.name} класс${perStudent ? ` · ${subjectName}` : ''} · ${rangeText(range)}`,
    columns,
    rows,
    chart: noMarks || series.length === 0 ? null : { kind: 'line', title: 'Средний балл по неделям', categories: weeks.map(weekTitle), series, unit: 'балл', max: null },
    signatures: [],
    notes,
    filter: { ...rangeFilter(filter, range), classId, ...(filter.subjectId !== undefined ? { subjectId: filter.subjectId } : {}) },
  };
}

/** «приказ № 4-у» whether the order was typed as «4-у», «№ 4-у» or «Приказ № 4-у». */
function orderText(order: string): string {
  const text = order.trim();
  if (/^приказ/i.test(text)) return `п${text.slice(1)}`;
  return `приказ № ${text.replace(/^№\s*/, '')}`;
}

function rounded(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

/** 004 §4.2: each teacher's days in the program and days of journal entries, from the audit. */
async function accessForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  const range = await resolveRange(db, now, filter);
  if (!range) return null;
  const school = await readSchool(db);
  const to = range.to > range.today ? range.today : range.to;
  const lines = await accessLines(db, { yearId: range.yearId, from: range.from, to, teacherId: filter.teacherId, scope, timeZone: school.timeZone });
  const columns = [
    col('teacher', 'Учитель', 'text', 4),
    col('signInDays', 'Дней со входом в программу', 'int'),
    col('journalDays', 'Дней с записями в журнале', 'int'),
    col('journalEntries', 'Записей в журнале', 'int'),
    col('lastSignIn', 'Последний вход', 'date', 1.5),
  ];
  const rows = lines.map((l) => row({ teacher: shortName(l.teacherName), signInDays: l.signInDays, journalDays: l.journalDays, journalEntries: l.journalEntries, lastSignIn: l.lastSignIn }));
  const notes = ['Записи в журнале — темы уроков, отметки, пропуски и итоговые отметки, внесённые учителем; дни — по времени школы.'];
  if (to < range.to) notes.push(`Учтены дни по ${russianDate(to)} (сегодня).`);
  if (lines.length === 0) notes.push('За эти даты нет учителей с нагрузкой.');
  return { subtitle: rangeText({ ...range, to }), columns, rows, chart: null, signatures: [deputySignature()], notes, filter: rangeFilter(filter, range) };
}

/** D-13: the school's numbers by class over dates, and who arrived and left by which order. */
async function movementForm(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<Made | null> {
  if (!scope.all) throw forbidden('Отчёт о движении учащихся доступен администрации школы.');
  const range = await resolveRange(db, now, filter);
  if (!range) return null;
  const { from, to } = range;
  const counts = await db
    .selectFrom('school_class as c')
    .leftJoin('enrollment as e', 'e.class_id', 'c.id')
    .select([
      'c.id',
      'c.name',
      sql<number>`sum(case when e.arrived_on >= ${from} and e.arrived_on <= ${to} and e.continues_enrollment_id is null then 1 else 0 end)`.as('arrived'),
      sql<number>`sum(case when e.departed_on >= ${from} and e.departed_on <= ${to} then 1 else 0 end)`.as('departed'),
      sql<number>`sum(case when e.arrived_on <= ${to} and (e.departed_on is null or e.departed_on > ${to}) then 1 else 0 end)`.as('atEnd'),
    ])
    .where('c.year_id', '=', range.yearId)
    .groupBy(['c.id', 'c.name', 'c.grade'])
    .orderBy('c.grade')
    .orderBy('c.name')
    .execute();
  const columns = [col('class', 'Класс', 'text', 1.5), col('atStart', `На ${russianDate(from)}`, 'int'), col('arrived', 'Прибыло', 'int'), col('departed', 'Выбыло', 'int'), col('atEnd', `На ${russianDate(to)}`, 'int')];
  const figures = counts.map((c) => {
    const arrived = Number(c.arrived);
    const departed = Number(c.departed);
    const atEnd = Number(c.atEnd);
    // Those on the list on the first day: the end's list without arrivals, with departures.
    return { class: c.name, atStart: atEnd - arrived + departed, arrived, departed, atEnd };
  });
  const rows = figures.map((f) => row(f));
  const sum = (key: 'atStart' | 'arrived' | 'departed' | 'atEnd') => figures.reduce((total, f) => total + f[key], 0);
  if (figures.length > 1) rows.push(row({ class: 'Итого по школе', atStart: sum('atStart'), arrived: sum('arrived'), departed: sum('departed'), atEnd: sum('atEnd') }, null, true));
  const movement = await studentMovement(db, from, to);
  const entry = (e: (typeof movement.arrived)[number]) => `${e.fullName} (${e.className}) — ${russianDate(e.date)}${e.order ? `, ${orderText(e.order)}` : ''}`;
  const notes = [
    movement.arrived.length > 0 ? `Прибыли: ${movement.arrived.map(entry).join('; ')}.` : 'Прибывших нет.',
    movement.departed.length > 0 ? `Выбыли: ${movement.departed.map(entry).join('; ')}.` : 'Выбывших нет.',
    'Перевод в следующий класс в начале учебного года прибытием не считается.',
  ];
  return { subtitle: rangeText(range), columns, rows, chart: null, signatures: [await directorSignature(db)], notes, filter: rangeFilter(filter, range) };
}

const makers: Record<ReportForm, (db: Db, now: Date, filter: ReportFilter, scope: RowScope) => Promise<Made | null>> = {
  control: controlForm,
  controlLessons: controlLessonsForm,
  results: resultsForm,
  subjectTeacher: subjectTeacherForm,
  attendanceByMonth: attendanceForm,
  schoolAttendance: schoolAttendanceForm,
  classTeacher: classTeacherForm,
  averageDynamics: averageDynamicsForm,
  access: accessForm,
  movement: movementForm,
};

/** The report the filter asks for, limited to the caller's rows; an empty school gives an empty report. */
export async function makeReport(db: Db, now: Date, filter: ReportFilter, scope: RowScope): Promise<ReportView> {
  await requireFilterInScope(db, scope, filter);
  const school = await readSchool(db).catch(() => null);
  const made = await makers[filter.form](db, now, filter, scope);
  const madeOn = await schoolToday(db, now);
  return {
    form: filter.form,
    title: reportFormTitles[filter.form],
    schoolName: school?.name ?? '',
    madeOn,
    ...(made ?? { subtitle: 'Учебный год ещё не создан', columns: [], rows: [], chart: null, signatures: [], notes: ['В школе ещё нет учебного года: отчёт пуст.'], filter }),
  };
}
