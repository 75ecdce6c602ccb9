import { weekdayNames } from '../../src-shared/rules/timetable';
import { ADMIN, expect, screenshot, test } from './support/fixtures';
import { AppShell, LoginPage } from './support/pages';
import { ClassesScreen, ImportScreen, LoadScreen, scrollPageToTop, StudentsScreen, SubjectsScreen, TimetableScreen, YearScreen } from './support/school-pages';
import { createYearWithClasses, currentYearDates, schoolWeekday } from './support/school-setup';

// The administrator sets up a school year through the screens, and imports a
// list of students from a spreadsheet — a bad file shows its row errors and writes nothing.

const TEACHER = { login: 'kuznetsova', fullName: 'Кузнецова Анна Викторовна', password: 'Временный-1', own: 'Свой-пароль-1' };

test('the administrator creates a year with quarters, a class, two students and a teaching assignment', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { ...TEACHER, roles: ['teacher'], changePassword: TEACHER.own });
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.expectSignedIn(ADMIN.fullName);

  // The year and its quarters for grades 1–9, pre-filled with typical dates.
  const yearDates = currentYearDates();
  const year = new YearScreen(page);
  await year.open();
  await year.createYear(yearDates);
  await year.addPeriodsByPreset('Четверти для 1–9 классов');
  for (const quarter of ['I четверть', 'II четверть', 'III четверть', 'IV четверть']) await expect(year.periods.getByRole('cell', { name: quarter, exact: true })).toBeVisible();
  await expect(year.periods).toContainText('1–9 классы, четверти');
  // The same quarters once more overlap: the core says so in its words, and nothing is added.
  await year.addPeriodsByPreset('Четверти для 1–9 классов');
  await expect(page.getByRole('form', { name: 'Добавить периоды' }).getByRole('alert')).toContainText('пересека');
  await expect(year.periods.getByRole('cell', { name: 'I четверть', exact: true })).toHaveCount(1);
  // A period moved past the end of the year: refused with the core's words, nothing changes.
  await year.periods.getByRole('button', { name: 'Изменить: I четверть, 1–9 классы, четверти' }).click();
  const edit = page.getByRole('form', { name: 'Изменить: I четверть' });
  await edit.getByLabel('Окончание').fill(`${yearDates.endsOn.slice(0, 4)}-09-15`);
  await edit.getByRole('button', { name: 'Сохранить' }).click();
  await expect(edit.getByRole('alert')).toContainText(`выходит за границы учебного года ${yearDates.name}`);
  await edit.getByRole('button', { name: 'Отмена' }).click();
  await expect(year.periods).toContainText(`01.09.${yearDates.startsOn.slice(0, 4)}–24.10.${yearDates.startsOn.slice(0, 4)}`);
  await year.addHolidayByPreset('Осенние');
  await expect(page.getByRole('region', { name: 'Каникулы' }).getByRole('cell', { name: 'Осенние каникулы', exact: true })).toBeVisible();
  await scrollPageToTop(page);
  await screenshot(page, testInfo, 'year-with-quarters');

  // A subject with its full curriculum name and its weekly hours in grade 5.
  await shell.open('Предметы и учебный план');
  const subjects = new SubjectsScreen(page);
  await subjects.create({ name: 'Математика', from: 1, to: 9 });
  await subjects.setHours('Математика', 5, '5');

  // The class, with its class teacher.
  await shell.open('Классы');
  const classes = new ClassesScreen(page);
  await classes.create({ grade: 5, letter: 'а', teacher: TEACHER.fullName, room: '21' });
  await expect(classes.row('5А')).toContainText(TEACHER.fullName);
  await classes.create({ grade: 1, letter: 'Б' });
  await expect(classes.row('1Б')).toContainText('безотметочное обучение');

  // Two students; the consent of one is registered, the other's absence stays flagged.
  await shell.open('Ученики');
  const students = new StudentsScreen(page);
  await students.chooseClass('5А');
  await students.enrol({ surname: 'Орлова', name: 'Мария', patronymic: 'Игоревна', birthDate: '2015-04-17', order: '№ 101-у' });
  await expect(students.card).toContainText('Согласие не зарегистрировано.');
  await students.registerConsent('Орлова Елена Викторовна');
  await expect(students.card).not.toContainText('Согласие не зарегистрировано.');
  await students.enrol({ surname: 'Белов', name: 'Кирилл', patronymic: 'Андреевич', birthDate: '2015-09-02', order: '№ 101-у' });
  const list = students.list('5А');
  await expect(list.getByRole('row')).toHaveCount(3);
  await expect(list.getByRole('row').filter({ hasText: 'Орлова Мария Игоревна' })).toContainText('есть');
  await expect(list.getByRole('row').filter({ hasText: 'Белов Кирилл Андреевич' })).toContainText('нет согласия');
  await expect(page.getByText('Без согласия на обработку персональных данных: 1')).toBeVisible();
  await screenshot(page, testInfo, 'students-5a');

  // The teaching assignment: 5А × Математика × the teacher.
  await shell.open('Нагрузка');
  const load = new LoadScreen(page);
  // Hours are checked as they are typed, in the contract's words, before anything is sent.
  await page.getByRole('button', { name: 'Назначить учителя' }).click();
  const assignment = page.getByRole('form', { name: 'Новое назначение' });
  await assignment.getByLabel('Часов в неделю').fill('4,3');
  await assignment.getByLabel('Часов в неделю').blur();
  await expect(assignment).toContainText('Часы — целые или с половиной');
  await expect(assignment.getByLabel('Часов в неделю')).toHaveAttribute('aria-invalid', 'true');
  expect(await admin.ok('load.list', {})).toEqual([]);
  await load.assign({ className: '5А', subject: 'Математика', teacher: TEACHER.fullName, hours: '5' });
  await expect(load.row('Математика')).toContainText(TEACHER.fullName);
  await expect(load.row('Математика')).toContainText('5А');
  await screenshot(page, testInfo, 'teaching-load');

  // All of it really is in the core.
  const assignments = await admin.ok('load.list', {});
  expect(assignments).toMatchObject([{ className: '5А', subjectName: 'Математика', teacherName: TEACHER.fullName, hoursPerWeek: 5 }]);
  const [yearInCore] = await admin.ok('school.years.list', {});
  expect(yearInCore!.periods.map((period) => period.name)).toEqual(['I четверть', 'II четверть', 'III четверть', 'IV четверть']);
});

test('a sample XLSX of students is previewed, imported and shows in the class list', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await createYearWithClasses(admin, [{ grade: 5, letter: 'А' }]);
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Импорт и экспорт');

  const importing = new ImportScreen(page);
  await importing.choose('Ученики', 'students-5a.xlsx');
  await expect(importing.summary).toContainText('3 строки');
  await expect(importing.summary).toContainText('Ошибок нет');
  await expect(importing.row(2)).toContainText('Васильев');
  await expect(importing.row(2)).toContainText('12.03.2015');
  await expect(importing.loadButton).toBeEnabled();
  await importing.loadButton.click();
  await expect(page.getByRole('status').filter({ hasText: 'добавлено 3' })).toBeVisible();
  await screenshot(page, testInfo, 'import-done');

  await shell.open('Ученики');
  const students = new StudentsScreen(page);
  await students.chooseClass('5А');
  for (const name of ['Васильев Артём Игоревич', 'Николаева Софья Андреевна', 'Фёдоров Марк Олегович']) await expect(students.list('5А')).toContainText(name);
  await expect(students.list('5А').getByRole('row').filter({ hasText: 'Фёдоров' })).toContainText('28.11.2014');
});

test('a file with bad rows shows each error with its row number and writes nothing', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await createYearWithClasses(admin, [{ grade: 5, letter: 'А' }]);
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Импорт и экспорт');

  const importing = new ImportScreen(page);
  await importing.choose('Ученики', 'students-bad.xlsx');
  await expect(importing.summary).toContainText('С ошибками: 2 строки');
  await expect(importing.row(3)).toContainText('31.02.2015');
  await expect(importing.row(3)).toContainText('дата рождения');
  await expect(importing.row(4)).toContainText('класса 5Я нет');
  await expect(importing.row(2).getByRole('cell').last()).toHaveText('');
  await expect(importing.loadButton).toBeDisabled();
  await screenshot(page, testInfo, 'import-errors');

  // Not even the good row was written.
  expect(await admin.ok('students.list', {})).toEqual([]);
  await shell.open('Ученики');
  await expect(page.getByText('учеников нет')).toBeVisible();
});

test('the timetable refuses a teacher twice at once, and the teacher sees today\'s lessons at home', async ({ page, zhurnal }, testInfo) => {
  const weekday = schoolWeekday();
  test.skip(weekday === 7, 'в воскресенье уроков нет');
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { ...TEACHER, roles: ['teacher'], changePassword: TEACHER.own });
  const { classes } = await createYearWithClasses(admin, [
    { grade: 5, letter: 'А' },
    { grade: 5, letter: 'Б' },
  ]);
  const subject = await admin.ok('school.subjects.create', { name: 'Математика', gradeFrom: 1, gradeTo: 11 });
  const [teacher] = await admin.ok('staff.list', { onlyTeachers: true });
  const loads = [];
  for (const schoolClass of classes) loads.push(await admin.ok('load.create', { classId: schoolClass.id, subjectId: subject.id, teacherId: teacher!.id, hoursPerWeek: 5 }));
  await admin.ok('timetable.bells.set', { bells: [{ lessonNumber: 1, startsAt: '08:30', endsAt: '09:15' }, { lessonNumber: 2, startsAt: '09:25', endsAt: '10:10' }] });

  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Расписание');
  const timetable = new TimetableScreen(page);
  const day = weekdayNames[weekday]!;
  const lesson = `Математика — ${TEACHER.fullName}`;
  await timetable.chooseClass('5А');
  await timetable.place({ weekday: day, lesson: 2, load: lesson, room: '21' });
  await expect(page.getByRole('table', { name: 'Расписание 5А' })).toContainText('каб. 21');
  await timetable.chooseClass('5Б');
  const refused = await timetable.place({ weekday: day, lesson: 2, load: lesson, room: '22' });
  await expect(refused.getByRole('alert')).toContainText(`${TEACHER.fullName} в это время (${day}, 2 урок) уже ведёт урок`);
  await screenshot(page, testInfo, 'timetable-clash');
  await shell.signOut();

  await new LoginPage(page).signIn(TEACHER.login, TEACHER.own);
  await shell.expectSignedIn(TEACHER.fullName);
  const widget = page.getByLabel('Уроки сегодня');
  const todayLesson = widget.getByRole('link', { name: /5А.*Математика/ });
  await expect(todayLesson).toContainText('09:25–10:10');
  // The link opens that lesson of today on the page (written when the teacher accepts it).
  await expect(todayLesson).toHaveAttribute('href', new RegExp(`^#/journal/${loads[0]!.id}\\?date=\\d{4}-\\d{2}-\\d{2}&lesson=2$`));
  await screenshot(page, testInfo, 'teacher-today');
});

test('D-12: moving a student between subgroups mid-period is refused with the core\'s message', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  const { year, classes } = await createYearWithClasses(admin, [{ grade: 5, letter: 'А' }]);
  const start = Number(year.startsOn.slice(0, 4));
  await admin.ok('school.periods.add', {
    yearId: year.id,
    kind: 'quarter',
    gradeFrom: 1,
    gradeTo: 9,
    periods: [
      { startsOn: `${start}-09-01`, endsOn: `${start}-10-24` },
      { startsOn: `${start}-11-05`, endsOn: `${start}-12-28` },
      { startsOn: `${start + 1}-01-09`, endsOn: `${start + 1}-03-20` },
      { startsOn: `${start + 1}-03-30`, endsOn: `${start + 1}-05-26` },
    ],
  });
  const english = await admin.ok('school.subjects.create', { name: 'Иностранный язык (английский)', gradeFrom: 2, gradeTo: 11 });
  const classId = classes[0]!.id;
  const first = await admin.ok('school.subgroups.create', { classId, subjectId: english.id, name: '1 группа' });
  const second = await admin.ok('school.subgroups.create', { classId, subjectId: english.id, name: '2 группа' });
  const ids = [];
  for (const [surname, name] of [['Орлова', 'Мария'], ['Белов', 'Кирилл']] as const) ids.push((await admin.ok('students.create', { classId, surname, name, arrivedOn: year.startsOn })).id);
  await admin.ok('school.subgroups.addMembers', { subgroupId: first.id, studentIds: ids, fromDate: year.startsOn });

  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Нагрузка');
  await page.getByRole('combobox', { name: 'Класс' }).selectOption({ label: '5А' });
  const groups = page.getByRole('region', { name: 'Подгруппы' });
  await expect(groups.getByLabel('Иностранный язык (английский): 1 группа')).toContainText('Белов Кирилл');

  const move = groups.getByRole('form', { name: 'Перевести в другую подгруппу' });
  await move.getByLabel('Ученик').selectOption({ label: 'Белов Кирилл (1 группа)' });
  await move.getByLabel('В подгруппу').selectOption({ label: '2 группа' });
  await move.getByLabel('С даты').fill(`${start}-10-01`);
  await move.getByRole('button', { name: 'Перевести' }).click();
  await expect(move.getByRole('alert')).toHaveText(`Перевод между подгруппами возможен только с первого дня учебного периода. Допустимые даты для 5 класса: 01.09.${start}, 05.11.${start}, 09.01.${start + 1}, 30.03.${start + 1}.`);
  await screenshot(page, testInfo, 'subgroup-move-refused');
  const onFirstOfOctober = await admin.ok('school.subgroups.list', { classId, date: `${start}-10-01` });
  expect(onFirstOfOctober.find((group) => group.id === second.id)!.members).toEqual([]);

  // From the first day of the second quarter it is allowed.
  await move.getByLabel('С даты').fill(`${start}-11-05`);
  await move.getByRole('button', { name: 'Перевести' }).click();
  await expect(move.getByRole('alert')).toBeHidden();
  await expect.poll(async () => (await admin.ok('school.subgroups.list', { classId, date: `${start}-11-05` })).find((group) => group.id === second.id)!.members.map((m) => m.fullName)).toEqual(['Белов Кирилл']);
});

test('marks settings and work types are kept; a bad weight is named beside its field', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  await new AppShell(page).open('Настройки отметок');

  const rules = page.getByRole('form', { name: 'Шкала и правила' });
  await expect(rules.getByLabel('Шкала отметок')).toHaveValue('five');
  await rules.getByLabel('Окно исправлений, дней').fill('10');
  await rules.getByRole('checkbox', { name: /^«Д»/ }).uncheck();
  await rules.getByRole('button', { name: 'Сохранить настройки' }).click();
  await expect(page.getByText('Настройки сохранены.')).toBeVisible();
  const settings = await admin.ok('settings.get', {});
  expect(settings.editWindowDays).toBe(10);
  expect(settings.specialMarks).not.toContain('Д');

  await page.getByRole('button', { name: 'Добавить вид работы' }).click();
  const form = page.getByRole('form', { name: 'Новый вид работы' });
  await form.getByLabel('Вид работы').fill('Защита реферата');
  await form.getByLabel('Вес').fill('20');
  await form.getByRole('button', { name: 'Добавить' }).click();
  await expect(form.getByLabel('Вес')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('Вес — от 0,1 до 10');
  await screenshot(page, testInfo, 'work-type-refused');
  await form.getByLabel('Вес').fill('2,5');
  await form.getByRole('button', { name: 'Добавить' }).click();
  await expect(page.getByRole('table', { name: 'Виды работ' }).getByRole('row').filter({ hasText: 'Защита реферата' })).toContainText('2,5');
  expect((await admin.ok('settings.workTypes.list', {})).find((type) => type.name === 'Защита реферата')?.weight).toBe(2.5);
});

test('an import shows its progress on screen through the one job component, then what it wrote', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await zhurnal.createSchool();
  await createYearWithClasses(admin, [{ grade: 5, letter: 'А' }]);
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Импорт и экспорт');

  const importing = new ImportScreen(page);
  await importing.choose('Ученики', 'students-5a.xlsx');
  await expect(importing.summary).toContainText('Ошибок нет');
  // The job's answers are held back while the screen is looked at: the progress the start
  // showed stays on screen however fast the import itself is.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/call', async (route) => {
    if ((route.request().postData() ?? '').includes('"jobs.status"')) await released;
    await route.continue();
  });
  await importing.loadButton.click();
  const progress = page.getByRole('status', { name: 'Ход импорта' });
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar')).toBeVisible();
  await expect(progress.getByRole('button', { name: 'Остановить' })).toBeEnabled();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await screenshot(page, testInfo, 'import-progress');
  release();
  await expect(page.getByRole('status').filter({ hasText: 'Загружено из «students-5a.xlsx»: добавлено 3 записи.' })).toBeVisible({ timeout: 60_000 });
  await expect(progress).toBeHidden();
  expect(await admin.ok('students.list', {})).toHaveLength(3);
});
