import { expect, screenshot, test } from './support/fixtures';
import { AppShell, LoginPage } from './support/pages';
import { StudentsScreen } from './support/school-pages';
import { currentYearDates } from './support/school-setup';

// The class teacher records a parent in the student card: a phone in a wrong shape is
// refused beside the field and nothing is saved; the class list stops saying «родитель не
// указан». A subject teacher opening the same list sees names only (152-ФЗ).

const CLASS_TEACHER = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна', password: 'Временный-1', own: 'Свой-пароль-1' };
const SUBJECT_TEACHER = { login: 'sidorov', fullName: 'Сидоров Павел Андреевич', password: 'Временный-1', own: 'Свой-пароль-1' };

test('the class teacher adds a parent in the student panel; a subject teacher sees names only', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(300_000);
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { ...CLASS_TEACHER, roles: ['teacher'], changePassword: CLASS_TEACHER.own });
  await zhurnal.createAccount(admin, { ...SUBJECT_TEACHER, roles: ['teacher'], changePassword: SUBJECT_TEACHER.own });
  const teacherId = (await admin.ok('accounts.list', {})).find((a) => a.login === CLASS_TEACHER.login)!.id;
  const dates = currentYearDates();
  const year = await admin.ok('school.years.create', dates);
  const schoolClass = await admin.ok('school.classes.create', { yearId: year.id, grade: 5, letter: 'А', classTeacherId: teacherId });
  for (const [surname, name, patronymic, birthDate] of [
    ['Алексеев', 'Артём', 'Игоревич', '2015-03-12'],
    ['Белова', 'Дарья', 'Андреевна', '2015-07-01'],
    ['Смирнов', 'Денис', 'Алексеевич', '2015-04-04'],
    ['Смирнов', 'Денис', 'Алексеевич', '2015-09-09'],
  ] as const) {
    await admin.ok('students.create', { surname, name, patronymic, birthDate, classId: schoolClass.id, arrivedOn: dates.startsOn });
  }

  await zhurnal.open(page);
  await new LoginPage(page).signIn(CLASS_TEACHER.login, CLASS_TEACHER.own);
  const shell = new AppShell(page);
  await shell.expectSignedIn(CLASS_TEACHER.fullName);
  await shell.open('Ученики');
  const students = new StudentsScreen(page);
  await students.chooseClass('5А');
  const list = students.list('5А');
  await expect(list.getByRole('columnheader', { name: 'Дата рождения' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Родитель не указан: 4' })).toBeVisible();
  // The two with the same full name are told apart by their birth dates.
  await expect(list).toContainText('Смирнов Денис А., 04.04.2015 г. р.');
  await expect(list).toContainText('Смирнов Денис А., 09.09.2015 г. р.');

  await list.getByRole('button', { name: 'Белова Дарья Андреевна' }).click();
  const parents = students.card.getByRole('region', { name: 'Родители и законные представители' });
  await expect(parents).toContainText('Родитель не указан');
  await parents.getByRole('button', { name: 'Добавить родителя' }).click();
  const form = parents.getByRole('form', { name: 'Новый родитель' });
  await form.getByLabel('ФИО').fill('Белов Андрей Петрович');
  await form.getByLabel('Кем приходится').selectOption('отец');
  await form.getByLabel('Телефон').fill('12-34');
  await form.getByLabel('Адрес для писем').fill('г. Томск, ул. Ленина, д. 5, кв. 12');
  await form.getByRole('button', { name: 'Добавить' }).click();
  await expect(form).toContainText('Телефон: 11 цифр, начиная с +7 или 8');
  await screenshot(page, testInfo, 'parent-bad-phone');
  expect(await admin.ok('students.parents.list', { studentId: (await admin.ok('students.list', { classId: schoolClass.id })).find((s) => s.surname === 'Белова')!.id })).toEqual([]);

  await form.getByLabel('Телефон').fill('8 (912) 345-67-89');
  await form.getByRole('button', { name: 'Добавить' }).click();
  const saved = parents.getByRole('list', { name: 'Родители' });
  await expect(saved).toContainText('Белов Андрей Петрович');
  await expect(saved).toContainText('+7 (912) 345-67-89');
  await expect(saved).toContainText('получает выписки');
  await expect(page.getByRole('status').filter({ hasText: 'Родитель не указан: 3' })).toBeVisible();
  await screenshot(page, testInfo, 'parent-added');

  // The subject teacher: names only, no birth dates, consents or parents.
  await shell.signOut();
  await new LoginPage(page).signIn(SUBJECT_TEACHER.login, SUBJECT_TEACHER.own);
  await shell.expectSignedIn(SUBJECT_TEACHER.fullName);
  // Not in her menu (the school's setup is not hers); the address still opens the page.
  await expect(shell.menu.getByRole('link', { name: 'Ученики' })).toHaveCount(0);
  await page.evaluate(() => (window.location.hash = '#/school/students'));
  await expect(page.getByRole('heading', { level: 1, name: 'Ученики' })).toBeVisible();
  await students.chooseClass('5А');
  await expect(list.getByRole('button', { name: 'Белова Дарья Андреевна' })).toBeVisible();
  await expect(list.getByRole('columnheader', { name: 'Дата рождения' })).toHaveCount(0);
  await expect(list).not.toContainText('2015');
  await expect(list).toContainText('Смирнов Денис Алексеевич (1)');
  await list.getByRole('button', { name: 'Белова Дарья Андреевна' }).click();
  await expect(students.card).toContainText('доступны классному руководителю и администрации');
  await expect(students.card.getByRole('region', { name: 'Родители и законные представители' })).toHaveCount(0);
  await screenshot(page, testInfo, 'subject-teacher-list');
});
