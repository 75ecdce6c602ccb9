import { describe, expect, it } from 'vitest';
import { holidayProblem, isNoMarksGrade, periodName, periodsProblem, subgroupMoveProblem, type PeriodLike } from '../../src-shared/rules/periods';
import { bellsProblem, slotClash, validitiesOverlap, type SlotEntry } from '../../src-shared/rules/timetable';
import { initialsKey, loginFor, parseClassName, parseDate, parseGender, parseRoles } from '../../src-main/school/files/values';

const year = { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31' };
const quarters: PeriodLike[] = [
  { id: 1, name: 'I четверть', startsOn: '2026-09-01', endsOn: '2026-10-25', gradeFrom: 1, gradeTo: 9 },
  { id: 2, name: 'II четверть', startsOn: '2026-11-05', endsOn: '2026-12-28', gradeFrom: 1, gradeTo: 9 },
];

describe('study periods', () => {
  it('names periods the Russian way', () => {
    expect([periodName('quarter', 3), periodName('trimester', 2), periodName('half', 1)]).toEqual(['III четверть', 'II триместр', 'I полугодие']);
  });

  it('D-10: periods of different grade ranges may share dates; of a shared grade they may not', () => {
    const halves = [{ name: 'I полугодие', startsOn: '2026-09-01', endsOn: '2026-12-28', gradeFrom: 10, gradeTo: 11 }];
    expect(periodsProblem(year, quarters, halves)).toBeNull();
    expect(periodsProblem(year, quarters, [{ ...halves[0]!, gradeFrom: 9 }])).toBe(
      'I полугодие (01.09.2026–28.12.2026, 9–11 классы) пересекается с периодом «I четверть» (01.09.2026–25.10.2026, 1–9 классы).',
    );
  });

  it('D-10: a period outside the year or ending before it starts is refused', () => {
    expect(periodsProblem(year, [], [{ name: 'IV четверть', startsOn: '2027-04-01', endsOn: '2027-09-01', gradeFrom: 1, gradeTo: 9 }])).toContain('выходит за границы учебного года 2026/2027');
    expect(periodsProblem(year, [], [{ name: 'IV четверть', startsOn: '2027-05-01', endsOn: '2027-04-01', gradeFrom: 1, gradeTo: 9 }])).toContain('позже даты окончания');
  });

  it('an edited period is not compared with itself', () => {
    expect(periodsProblem(year, quarters, [{ ...quarters[0]!, endsOn: '2026-10-30' }])).toBeNull();
  });

  it('holidays may not overlap each other', () => {
    const autumn = { id: 1, name: 'Осенние', startsOn: '2026-10-26', endsOn: '2026-11-04' };
    expect(holidayProblem(year, [autumn], { name: 'Ещё', startsOn: '2026-11-04', endsOn: '2026-11-05' })).toContain('пересекаются с каникулами «Осенние»');
    expect(holidayProblem(year, [autumn], { name: 'Зимние', startsOn: '2026-12-29', endsOn: '2027-01-11' })).toBeNull();
  });

  it('D-12: a subgroup move takes effect only on the first day of a period of the grade', () => {
    expect(subgroupMoveProblem(quarters, 5, '2026-11-05')).toBeNull();
    expect(subgroupMoveProblem(quarters, 5, '2026-11-06')).toContain('Допустимые даты для 5 класса: 01.09.2026, 05.11.2026.');
    expect(subgroupMoveProblem(quarters, 10, '2026-09-01')).toContain('для 10 класса периоды не заданы');
  });

  it('D-19: grades 0 and 1 learn without marks', () => {
    expect([0, 1, 2, 11].map(isNoMarksGrade)).toEqual([true, true, false, false]);
  });
});

describe('timetable slots', () => {
  const base: SlotEntry = { weekday: 1, lessonNumber: 2, validFrom: '2026-09-01', validTo: null, teacherId: 1, classId: 10, subgroupId: null, room: '21' };

  it('validity ranges overlap unless one ends before the other starts', () => {
    expect(validitiesOverlap({ validFrom: '2026-09-01', validTo: '2026-10-31' }, { validFrom: '2026-11-01', validTo: null })).toBe(false);
    expect(validitiesOverlap({ validFrom: '2026-09-01', validTo: null }, { validFrom: '2027-01-01', validTo: null })).toBe(true);
  });

  it('the same teacher, room or class at one time clash; two subgroups of a class do not', () => {
    expect(slotClash(base, { ...base, classId: 11, room: '22' })).toBe('teacher');
    expect(slotClash(base, { ...base, teacherId: 2, classId: 11, room: ' 21 ' })).toBe('room');
    expect(slotClash(base, { ...base, teacherId: 2, room: '22', subgroupId: 5 })).toBe('class');
    expect(slotClash({ ...base, subgroupId: 4 }, { ...base, teacherId: 2, room: '22', subgroupId: 5 })).toBeNull();
    expect(slotClash({ ...base, subgroupId: 4, room: '' }, { ...base, teacherId: 2, room: '', subgroupId: 5 })).toBeNull();
    expect(slotClash(base, { ...base, lessonNumber: 3 })).toBeNull();
  });

  it('bells run in order', () => {
    expect(bellsProblem([{ lessonNumber: 1, startsAt: '08:00', endsAt: '08:40' }, { lessonNumber: 2, startsAt: '08:50', endsAt: '09:30' }])).toBeNull();
    expect(bellsProblem([{ lessonNumber: 1, startsAt: '08:00', endsAt: '08:40' }, { lessonNumber: 1, startsAt: '08:50', endsAt: '09:30' }])).toBe('Урок 1 указан дважды.');
  });
});

describe('values typed into spreadsheets', () => {
  it('dates as ДД.ММ.ГГГГ or ISO, real calendar days only', () => {
    expect(['01.09.2026', '1.9.2026', '2026-09-01', '29.02.2024', '29.02.2026', '2026/09/01', ''].map(parseDate)).toEqual(['2026-09-01', '2026-09-01', '2026-09-01', '2024-02-29', null, null, null]);
  });

  it('class names in the ways people write them', () => {
    expect(['5А', '5 а', '5-А', '5A', '11Б', '0А'].map((t) => parseClassName(t)?.name)).toEqual(['5А', '5А', '5А', '5А', '11Б', '0А']);
    expect(['12А', 'А5', '5АБ', ''].map(parseClassName)).toEqual([null, null, null, null]);
  });

  it('gender, roles, initials and logins', () => {
    expect(['м', 'Ж', 'мужской', '', 'x'].map(parseGender)).toEqual(['м', 'ж', 'м', '', null]);
    expect(parseRoles('Учитель, Администратор ЭЖ; завуч')).toEqual({ roles: ['teacher', 'administrator', 'deputy'], unknown: [] });
    expect(parseRoles('учитель, волшебник').unknown).toEqual(['волшебник']);
    expect(initialsKey('Иванова Мария Сергеевна')).toBe(initialsKey('Иванова М.С.'));
    expect(loginFor('Щукина Юлия Эдуардовна')).toBe('shchukina.ye');
  });
});
