import { describe, expect, it } from 'vitest';
import { isAbsence, isUnresolved } from '../../src-shared/rules/attendance';
import { displayedAverage, roundTo, suggestFinal, suggestYearFinal, weightedAverage } from '../../src-shared/rules/average';
import { addDays, daysBetween, localDate, localDateTime, russianDate, russianDayMonth, schoolLocalToUtc, wallClock, weekdayOf, zoneOffsetMinutes } from '../../src-shared/rules/dates';
import { countOf, plural } from '../../src-shared/rules/plural';
import { editableFrom, isPastEditWindow } from '../../src-shared/rules/edit-window';
import { defaultJournalSettings, journalSettingsFrom } from '../../src-shared/rules/journal-settings';
import { homeworkDeadline, isHomeworkLate, isMarkLate, isTopicLate, markDueDate } from '../../src-shared/rules/lateness';
import { checkMark, numericMark, type MarkRules } from '../../src-shared/rules/marks';

const five: MarkRules = { scale: 'five', specialMarks: ['осв', 'н/а', 'зач', 'Д', 'безотм'] };
const averages = { scale: 'five' as const, averageDecimals: 2, finalRoundingThreshold: 0.5 };

describe('mark scale', () => {
  it('D-20: the five-point scale takes 2–5 and nothing else', () => {
    expect(['2', '3', '4', '5', ' 5 '].map((v) => checkMark(v, five))).toEqual(['2', '3', '4', '5', '5'].map((value) => ({ ok: true, value })));
    for (const bad of ['1', '6', '0', '4+', 'пять', '', '05x']) expect(checkMark(bad, five).ok, bad).toBe(false);
    expect(checkMark('6', five)).toMatchObject({ ok: false, message: expect.stringContaining('от 2 до 5') });
  });

  it('D-20: ten-, hundred-point and pass/fail scales', () => {
    expect(checkMark('10', { scale: 'ten', specialMarks: [] })).toEqual({ ok: true, value: '10' });
    expect(checkMark('0', { scale: 'ten', specialMarks: [] }).ok).toBe(false);
    expect(checkMark('087', { scale: 'hundred', specialMarks: [] })).toEqual({ ok: true, value: '87' });
    expect(checkMark('Незач', { scale: 'passFail', specialMarks: [] })).toEqual({ ok: true, value: 'незач' });
    expect(checkMark('5', { scale: 'passFail', specialMarks: [] }).ok).toBe(false);
  });

  it('D-21: special marks only when the school enabled them, in their stored spelling', () => {
    expect(checkMark('ОСВ', five)).toEqual({ ok: true, value: 'осв' });
    expect(checkMark('д', five)).toEqual({ ok: true, value: 'Д' });
    expect(checkMark('Н/А', five)).toEqual({ ok: true, value: 'н/а' });
    expect(checkMark('осв', { scale: 'five', specialMarks: ['н/а'] }).ok).toBe(false);
    expect(numericMark('осв', 'five')).toBeNull();
    expect(numericMark('4', 'five')).toBe(4);
  });
});

describe('weighted average and suggested finals', () => {
  it('D-22: the average is weighted by work type; special marks do not count', () => {
    expect(weightedAverage([{ value: '5', weight: 1 }, { value: '3', weight: 2 }], 'five')).toBeCloseTo(11 / 3);
    expect(displayedAverage([{ value: '5', weight: 1 }, { value: '3', weight: 2 }, { value: 'осв', weight: 5 }], averages)).toBe(3.67);
    expect(weightedAverage([{ value: 'н/а', weight: 1 }], 'five')).toBeNull();
    expect(weightedAverage([], 'five')).toBeNull();
  });

  it('rounding is half up and immune to binary noise', () => {
    expect(roundTo(4.645, 2)).toBe(4.65);
    expect(roundTo(3.5, 0)).toBe(4);
    expect(roundTo(2.675, 2)).toBe(2.68);
  });

  it('D-23: the suggested final follows the school\'s rounding threshold', () => {
    expect(suggestFinal(3.5, averages)).toBe('4');
    expect(suggestFinal(3.49, averages)).toBe('3');
    expect(suggestFinal(3.5, { ...averages, finalRoundingThreshold: 0.6 })).toBe('3');
    expect(suggestFinal(3.6, { ...averages, finalRoundingThreshold: 0.6 })).toBe('4');
    // 3.595 is shown as 3,60: the teacher is offered what 3,60 gives.
    expect(suggestFinal(3.595, { ...averages, finalRoundingThreshold: 0.6 })).toBe('4');
    expect(suggestFinal(1.2, averages)).toBe('2');
    expect(suggestFinal(null, averages)).toBeNull();
    expect(suggestYearFinal(['4', '5', '4', 'н/а'], averages)).toBe('4');
    expect(suggestYearFinal(['5', '4'], averages)).toBe('5');
  });
});

describe('edit window and dates', () => {
  it('D-25: a lesson older than the window is locked; on the 14th day it is still open', () => {
    expect(isPastEditWindow('2026-09-21', '2026-10-05', 14)).toBe(false);
    expect(isPastEditWindow('2026-09-21', '2026-10-06', 14)).toBe(true);
    expect(editableFrom('2026-10-14', 14)).toBe('2026-09-30');
  });

  it('school-local dates come from the school\'s time zone', () => {
    expect(localDate(new Date('2026-10-14T18:30:00Z'), 'Asia/Tomsk')).toBe('2026-10-15');
    expect(localDate(new Date('2026-10-14T18:30:00Z'), 'Europe/Moscow')).toBe('2026-10-14');
    expect(localDateTime(new Date('2026-10-14T07:30:00Z'), 'Asia/Tomsk')).toBe('2026-10-14T14:30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(weekdayOf('2026-10-14')).toBe(3);
    expect(weekdayOf('2026-10-18')).toBe(7);
  });

  it('a wall time read on the school\'s clock maps back to the instant, across a zone that once changed its offset', () => {
    // Tomsk is UTC+7: 14:30 there is 07:30 UTC.
    expect(schoolLocalToUtc('2026-10-14T14:30', 'Asia/Tomsk')?.toISOString()).toBe('2026-10-14T07:30:00.000Z');
    expect(schoolLocalToUtc('2026-10-14', 'Europe/Moscow')?.toISOString()).toBe('2026-10-13T21:00:00.000Z');
    expect(schoolLocalToUtc('14.10.2026', 'Europe/Moscow')).toBeNull();
    // Moscow was UTC+4 until 26 October 2014 02:00 local, then UTC+3.
    expect(zoneOffsetMinutes(new Date('2014-10-01T12:00:00Z'), 'Europe/Moscow')).toBe(240);
    expect(zoneOffsetMinutes(new Date('2014-11-01T12:00:00Z'), 'Europe/Moscow')).toBe(180);
    expect(schoolLocalToUtc('2014-10-26T12:00', 'Europe/Moscow')?.toISOString()).toBe('2014-10-26T09:00:00.000Z');
    // 14 October 2026 is a Wednesday; at 23:30 UTC it is already Thursday the 15th in Tomsk.
    expect(wallClock(new Date('2026-10-14T23:30:00Z'), 'Asia/Tomsk')).toEqual({ year: 2026, month: 10, day: 15, hour: 6, minute: 30, second: 0, weekday: 4 });
    expect(russianDate('2026-09-01')).toBe('01.09.2026');
    expect(russianDayMonth('2026-09-01')).toBe('01.09');
  });
});

describe('Russian plurals', () => {
  it('1, 21 take the first form; 2–4, 22 the second; 0, 5–20, 111 the third; a fraction the second', () => {
    const forms = (n: number) => plural(n, 'запись', 'записи', 'записей');
    expect([1, 21, 101].map(forms)).toEqual(['запись', 'запись', 'запись']);
    expect([2, 4, 22, 1.5].map(forms)).toEqual(['записи', 'записи', 'записи', 'записи']);
    expect([0, 5, 11, 12, 14, 20, 111].map(forms)).toEqual(Array(7).fill('записей'));
    expect(countOf(3, 'лист', 'листа', 'листов')).toBe('3 листа');
  });
});

describe('D-18 lateness', () => {
  it('topic on the day of the lesson', () => {
    expect(isTopicLate('2026-10-14', '2026-10-14T21:30')).toBe(false);
    expect(isTopicLate('2026-10-14', '2026-10-15T08:00')).toBe(true);
  });

  it('homework within 1.5 hours after the class\'s last lesson, or by the day\'s end without a timetable', () => {
    expect(homeworkDeadline('2026-10-14', '12:15')).toBe('2026-10-14T13:45');
    expect(isHomeworkLate('2026-10-14', '12:15', '2026-10-14T13:45')).toBe(false);
    expect(isHomeworkLate('2026-10-14', '12:15', '2026-10-14T13:46')).toBe(true);
    expect(homeworkDeadline('2026-10-14', null)).toBe('2026-10-14T23:59');
    expect(homeworkDeadline('2026-10-14', '23:00')).toBe('2026-10-14T23:59');
  });

  it('marks by the work type\'s due days (the lesson day counts as the first)', () => {
    expect(markDueDate('2026-10-14', 1)).toBe('2026-10-14');
    expect(isMarkLate('2026-10-14', 1, '2026-10-15T09:00')).toBe(true);
    expect(isMarkLate('2026-10-14', 3, '2026-10-16T20:00')).toBe(false);
    expect(isMarkLate('2026-10-14', 3, '2026-10-17T08:00')).toBe(true);
  });
});

describe('attendance codes and settings', () => {
  it('D-27, D-28: ОП is late, not absent; only ОТ waits for a reason', () => {
    expect(['ОТ', 'УП', 'Б', 'НП'].every(isAbsence)).toBe(true);
    expect(isAbsence('ОП')).toBe(false);
    expect(isUnresolved('ОТ')).toBe(true);
    expect(isUnresolved('Б')).toBe(false);
  });

  it('journal settings default to D-20 … D-25 and ignore broken values', () => {
    expect(defaultJournalSettings).toMatchObject({ scale: 'five', editWindowDays: 14, averageDecimals: 2, finalRoundingThreshold: 0.5 });
    expect(journalSettingsFrom({ markScale: 'ten', editWindowDays: 7 })).toMatchObject({ scale: 'ten', editWindowDays: 7 });
    expect(journalSettingsFrom({ markScale: 'семибалльная', editWindowDays: -3 })).toMatchObject({ scale: 'five', editWindowDays: 14 });
  });
});
