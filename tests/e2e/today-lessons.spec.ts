import { screenshot } from './support/fixtures';
import { expect, JournalScreen, signInAs, test } from './support/journal-school';

// Lessons from the timetable and the КТП: the teacher opens today's lesson from the home
// page, finds the date, the lesson number, the plan's next topic and its homework filled
// in, accepts with Enter and enters marks.
// The school: class 5А; it is Wednesday 14 October 2026, 14:30 in Tomsk (journal-school.ts).
test.describe.configure({ timeout: 180_000 });

const MATH = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна' };

test("a teacher opens today's lesson from the home page, accepts it with Enter and enters marks", async ({ page, world }, testInfo) => {
  const { school } = world;
  // Иванова's Wednesday: mathematics 2nd (the fixture's), English group 2 4th, and English
  // group 1 3rd in place of Сидоров, who is on courses.
  await school.admin.ok('timetable.add', { loadId: school.loads.english5A2, weekday: 3, lessonNumber: 4, validFrom: '2026-09-01' });
  await school.admin.ok('timetable.add', { loadId: school.loads.english5A1, weekday: 3, lessonNumber: 3, validFrom: '2026-09-01' });
  await school.deputy.session.ok('substitutions.assign', { loadId: school.loads.english5A1, date: '2026-10-14', lessonNumber: 3, substituteId: school.math.id, kind: 'subject', reason: 'courses', orderNumber: '№ 45-к' });
  // Her КТП for 5А mathematics (the plan screens are another part of the work).
  const at = '2026-08-30T00:00:00.000Z';
  const plan = await world.db
    .insertInto('plan')
    .values({ load_id: school.loads.math5A, year_id: school.yearId, status: 'approved', hours_note: '', review_comment: '', submitted_at: null, submitted_by: null, decided_at: null, decided_by: null, created_at: at, created_by: school.math.id, updated_at: at, updated_by: school.math.id, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [number, topic, homework] of [
    [1, 'Сложение дробей с одинаковыми знаменателями', '§ 12, № 45, 47'],
    [2, 'Вычитание дробей с одинаковыми знаменателями', '§ 13, № 50'],
  ] as const) {
    await world.db.insertInto('plan_row').values({ plan_id: plan.id, number, section: 'Обыкновенные дроби', topic, hours: 1, planned_date: null, planned_week: null, control_work: 0, work_type_id: null, homework }).execute();
  }

  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const today = page.getByLabel('Уроки сегодня');
  await expect(today.getByRole('heading', { name: 'Уроки сегодня, 14.10.2026' })).toBeVisible();
  const lessons = today.getByRole('link');
  await expect(lessons).toHaveCount(3);
  await expect(lessons.nth(0)).toContainText('2');
  await expect(lessons.nth(0)).toContainText('Математика');
  await expect(lessons.nth(0)).toContainText('не записан');
  await expect(lessons.nth(1)).toContainText('замена за Сидоров П. А.');
  await expect(lessons.nth(2)).toContainText('2 группа');
  await screenshot(page, testInfo, 'today-lessons-home');

  // Opening a lesson and leaving it writes nothing.
  await today.getByRole('link', { name: '4-й урок, 5А, Иностранный язык (английский)' }).click();
  const english = page.getByRole('form', { name: 'Новый урок' });
  await expect(english.getByLabel('Дата урока')).toHaveValue('14.10.2026');
  await expect(english.getByLabel('Номер урока')).toHaveValue('4');
  await english.getByRole('button', { name: 'Отмена' }).click();
  await expect(english).toBeHidden();
  expect((await school.math.session.ok('journal.page', { loadId: school.loads.english5A2 })).lessons).toEqual([]);

  await page.goBack();
  await expect(today.getByRole('link')).toHaveCount(3);
  await today.getByRole('link', { name: '2-й урок, 5А, Математика' }).click();
  const form = page.getByRole('form', { name: 'Новый урок' });
  await expect(form.getByLabel('Дата урока')).toHaveValue('14.10.2026');
  await expect(form.getByLabel('Номер урока')).toHaveValue('2');
  await expect(form.getByLabel('Тема урока')).toHaveValue('Сложение дробей с одинаковыми знаменателями');
  await expect(form.getByLabel('Домашнее задание')).toHaveValue('§ 12, № 45, 47');
  await expect(form.getByLabel('По КТП: урок № 1')).toBeChecked();
  await expect(form.getByLabel('Тема урока')).toBeFocused();
  await screenshot(page, testInfo, 'today-lesson-prefilled');
  await page.keyboard.press('Enter');

  const journal = new JournalScreen(page);
  await journal.expectShown();
  await expect(journal.grid.getByRole('columnheader', { name: 'Урок 14.10: Сложение дробей с одинаковыми знаменателями' })).toBeVisible();
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveAttribute('aria-selected', 'true');
  await journal.type('5', 'Enter', '4');
  await expect(journal.cell('Белова Дарья', '14.10')).toHaveText('4');
  await expect(journal.status).toHaveText('Сохранено.');

  const saved = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(saved.lessons.map((lesson) => [lesson.date, lesson.lessonNumber, lesson.topic, lesson.homework])).toEqual([['2026-10-14', 2, 'Сложение дробей с одинаковыми знаменателями', '§ 12, № 45, 47']]);
  expect(await world.db.selectFrom('lesson').select('plan_row_id').execute()).toEqual([{ plan_row_id: expect.any(Number) }]);
  // The next lesson of the page is offered the plan's second topic.
  expect((await school.math.session.ok('journal.lessonDraft', { loadId: school.loads.math5A })).plan).toMatchObject({ number: 2 });
  expect(saved.marks.map((mark) => [mark.studentId, mark.value]).sort()).toEqual([
    [school.students.alekseev, '5'],
    [school.students.belova, '4'],
  ].sort());

  // Back home, the lesson is written; opening it again opens the written lesson.
  await page.evaluate(() => (window.location.hash = '/'));
  await expect(today.getByRole('link', { name: '2-й урок, 5А, Математика, записан' })).toContainText('записан');
  await screenshot(page, testInfo, 'today-lessons-written');
  await today.getByRole('link', { name: '2-й урок, 5А, Математика, записан' }).click();
  await expect(page.getByRole('form', { name: 'Урок 14.10.2026' })).toBeVisible();
  expect((await school.math.session.ok('journal.page', { loadId: school.loads.math5A })).lessons).toHaveLength(1);
});
