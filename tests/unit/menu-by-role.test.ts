import { describe, expect, it } from 'vitest';
import { visibleMenu, type MenuRoute } from '../../src-renderer/app/menu';

// A registry shaped like the app's: one page of each kind the menu treats differently.
const routes: MenuRoute[] = [
  { path: '/', title: 'Главная', permission: 'session' },
  { path: '/journal', title: 'Журнал', permission: 'journal.read', group: 'Учебный процесс' },
  { path: '/journal/:loadId', title: 'Страница журнала', permission: 'journal.read', group: 'Учебный процесс', hiddenFromMenu: true },
  { path: '/plans', title: 'КТП', permission: 'journal.read', group: 'Учебный процесс', menuFor: ['journal.write', 'journal.approve'] },
  { path: '/attendance', title: 'Пропуски класса', permission: 'attendance.resolve', group: 'Учебный процесс', classWork: true },
  { path: '/school/year', title: 'Учебный год', permission: 'school.read', group: 'Школа' },
  { path: '/school/students', title: 'Ученики', permission: 'school.read', group: 'Школа', forClassTeacher: true },
  { path: '/extracts', title: 'Отчёты для родителей', permission: 'extracts.print', group: 'Отчёты', classWork: true },
  { path: '/admin/accounts', title: 'Учётные записи', permission: 'accounts.manage', group: 'Администрирование' },
];
const titles = (user: Parameters<typeof visibleMenu>[0]) => visibleMenu(user, routes).map((route) => route.title);
const class5A = [{ id: 1, name: '5А' }];

describe('the menu each role sees', () => {
  it('a subject teacher with no class: teaching only — no class work, no school setup', () => {
    expect(titles({ roles: ['teacher'], classTeacherOf: [] })).toEqual(['Главная', 'Журнал', 'КТП']);
  });

  it('a class teacher: her class\'s absences, students and parents\' reports besides teaching', () => {
    expect(titles({ roles: ['teacher'], classTeacherOf: class5A })).toEqual(['Главная', 'Журнал', 'КТП', 'Пропуски класса', 'Ученики', 'Отчёты для родителей']);
  });

  it('the deputy: plans to approve, the setup, parents\' reports without leading a class', () => {
    expect(titles({ roles: ['deputy'], classTeacherOf: [] })).toEqual(['Главная', 'Журнал', 'КТП', 'Учебный год', 'Ученики', 'Отчёты для родителей']);
  });

  it('the secretary reads the journal but neither writes nor approves plans: no КТП in her menu', () => {
    expect(titles({ roles: ['secretary'], classTeacherOf: [] })).toEqual(['Главная', 'Журнал', 'Учебный год', 'Ученики']);
  });

  it('an administrator who also teaches keeps the administration and the setup', () => {
    expect(titles({ roles: ['administrator', 'teacher'], classTeacherOf: [] })).toEqual([
      'Главная', 'Журнал', 'КТП', 'Учебный год', 'Ученики', 'Отчёты для родителей', 'Учётные записи',
    ]);
  });
});
