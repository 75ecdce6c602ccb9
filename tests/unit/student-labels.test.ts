import { describe, expect, it } from 'vitest';
import { studentLabels, type NamedStudent } from '../../src-shared/rules/student-labels';

// One helper names students everywhere (lists, grid, reports, paper). Expected labels are
// written out by hand.

const student = (id: number, surname: string, name: string, patronymic: string, birthDate: string | null = null): NamedStudent => ({ id, surname, name, patronymic, birthDate });

describe('student labels', () => {
  const class5A = [
    student(1, 'Иванов', 'Иван', 'Петрович', '2015-03-01'),
    student(2, 'Иванов', 'Иван', 'Павлович', '2015-07-02'),
    student(3, 'Иванов', 'Иван', 'Сергеевич', '2014-11-20'),
    student(4, 'Орлова', 'Анна', 'Игоревна', '2015-01-01'),
  ];

  it('on screen: a plain name unless there is a namesake; the initial first, then the birth date', () => {
    expect([...studentLabels(class5A, { birthDates: true }).values()]).toEqual([
      'Иванов Иван П., 01.03.2015 г. р.',
      'Иванов Иван П., 02.07.2015 г. р.',
      'Иванов Иван С.',
      'Орлова Анна',
    ]);
  });

  it('on paper every name has the initial', () => {
    expect(studentLabels(class5A, { birthDates: true, initials: 'always' }).get(4)).toBe('Орлова Анна И.');
  });

  it('a reader who may not see birth dates gets the full patronymic instead, never the date', () => {
    const labels = studentLabels(class5A, { birthDates: false });
    expect([labels.get(1), labels.get(2), labels.get(3)]).toEqual(['Иванов Иван Петрович', 'Иванов Иван Павлович', 'Иванов Иван С.']);
  });

  it('the same full name with no birth date to use: numbered in the order they came', () => {
    const twins = [student(9, 'Ким', 'Алина', 'Сергеевна', '2015-05-05'), student(7, 'Ким', 'Алина', 'Сергеевна', '2015-05-05')];
    expect(studentLabels(twins, { birthDates: true })).toEqual(
      new Map([
        [9, 'Ким Алина Сергеевна (2)'],
        [7, 'Ким Алина Сергеевна (1)'],
      ]),
    );
    // «ё» and «е» read alike.
    const alike = [student(1, 'Семёнов', 'Олег', '', '2015-01-01'), student(2, 'Семенов', 'Олег', '', '2015-02-02')];
    expect([...studentLabels(alike, { birthDates: true }).values()]).toEqual(['Семёнов Олег, 01.01.2015 г. р.', 'Семенов Олег, 02.02.2015 г. р.']);
  });
});
