import { expect, type Locator, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { AppShell } from './pages';

// Page models for the school setup screens: what a person does, not where it is.

/** The page scrolls inside the shell; a screenshot of the top shows the heading. */
export async function scrollPageToTop(page: Page) {
  await page.getByRole('main').evaluate((main) => main.scrollTo(0, 0));
}

export const fixtureFile = (name: string) => fileURLToPath(new URL(`../../fixtures/e2e/${name}`, import.meta.url));

export class YearScreen {
  constructor(private readonly page: Page) {}

  async open() {
    await new AppShell(this.page).open('Учебный год');
  }

  async createYear(year: { name: string; startsOn: string; endsOn: string }) {
    const form = this.page.getByRole('form', { name: 'Новый учебный год' });
    await form.getByLabel('Название').fill(year.name);
    await form.getByLabel('Начало').fill(year.startsOn);
    await form.getByLabel('Окончание').fill(year.endsOn);
    await form.getByRole('button', { name: 'Создать год' }).click();
    await expect(this.page.getByRole('tab', { name: year.name })).toHaveAttribute('aria-selected', 'true');
  }

  async addPeriodsByPreset(preset: string) {
    await this.page.getByRole('button', { name: preset }).click();
    await this.page.getByRole('form', { name: 'Добавить периоды' }).getByRole('button', { name: 'Добавить периоды' }).click();
  }

  get periods(): Locator {
    return this.page.getByRole('region', { name: 'Учебные периоды' });
  }

  async addHolidayByPreset(preset: string) {
    const section = this.page.getByRole('region', { name: 'Каникулы' });
    await section.getByRole('button', { name: preset, exact: true }).click();
    await section.getByRole('button', { name: 'Добавить каникулы' }).click();
  }
}

export class SubjectsScreen {
  constructor(private readonly page: Page) {}

  async create(subject: { name: string; from: number; to: number }) {
    await this.page.getByRole('button', { name: 'Новый предмет' }).click();
    const form = this.page.getByRole('form', { name: 'Новый предмет' });
    await form.getByLabel('Полное название по учебному плану').fill(subject.name);
    await form.getByLabel('С класса').selectOption(String(subject.from));
    await form.getByLabel('По класс').selectOption(String(subject.to));
    await form.getByRole('button', { name: 'Добавить предмет' }).click();
    await expect(form).toBeHidden();
  }

  async setHours(subject: string, grade: number, hours: string) {
    await this.page.getByLabel(`${subject}, ${grade} класс, часов в неделю`).fill(hours);
    await this.page.getByRole('row').filter({ hasText: subject }).getByRole('button', { name: 'Сохранить часы' }).click();
    await expect(this.page.getByRole('row').filter({ hasText: subject }).getByRole('button', { name: 'Сохранить часы' })).toBeHidden();
  }
}

export class ClassesScreen {
  constructor(private readonly page: Page) {}

  async create(schoolClass: { grade: number; letter: string; teacher?: string; room?: string }) {
    await this.page.getByRole('button', { name: 'Новый класс' }).click();
    const form = this.page.getByRole('form', { name: 'Новый класс' });
    await form.getByLabel('Параллель').selectOption(String(schoolClass.grade));
    await form.getByLabel('Буква').fill(schoolClass.letter);
    if (schoolClass.teacher) await form.getByLabel('Классный руководитель').selectOption({ label: schoolClass.teacher });
    if (schoolClass.room) await form.getByLabel('Кабинет').fill(schoolClass.room);
    await form.getByRole('button', { name: 'Создать класс' }).click();
    await expect(form).toBeHidden();
  }

  row(name: string): Locator {
    return this.page.getByRole('table', { name: 'Список классов' }).getByRole('row').filter({ hasText: name });
  }
}

export class StudentsScreen {
  constructor(private readonly page: Page) {}

  async chooseClass(name: string) {
    await this.page.getByRole('combobox', { name: 'Класс' }).selectOption({ label: name });
  }

  list(className: string): Locator {
    return this.page.getByRole('table', { name: `Ученики ${className}` });
  }

  async enrol(student: { surname: string; name: string; patronymic: string; birthDate: string; order: string }) {
    await this.page.getByRole('button', { name: 'Зачислить ученика' }).click();
    const form = this.page.getByRole('form', { name: /^Зачисление в / });
    await form.getByLabel('Фамилия').fill(student.surname);
    await form.getByLabel('Имя').fill(student.name);
    await form.getByLabel('Отчество').fill(student.patronymic);
    await form.getByLabel('Дата рождения').fill(student.birthDate);
    await form.getByLabel('Приказ о зачислении').fill(student.order);
    await form.getByRole('button', { name: 'Зачислить' }).click();
    // The new student's card opens.
    await expect(this.card.getByRole('heading', { name: `${student.surname} ${student.name} ${student.patronymic}` })).toBeVisible();
  }

  get card(): Locator {
    return this.page.getByRole('complementary', { name: 'Карточка ученика' });
  }

  async registerConsent(giverName: string) {
    const form = this.card.getByRole('form', { name: 'Новое согласие' });
    await form.getByLabel('ФИО давшего согласие').fill(giverName);
    await form.getByRole('button', { name: 'Зарегистрировать согласие' }).click();
    await expect(this.card).toContainText(giverName);
  }
}

export class LoadScreen {
  constructor(private readonly page: Page) {}

  async assign(load: { className: string; subject: string; teacher: string; hours: string }) {
    await this.page.getByRole('button', { name: 'Назначить учителя' }).click();
    const form = this.page.getByRole('form', { name: 'Новое назначение' });
    await form.getByLabel('Класс').selectOption({ label: load.className });
    await form.getByLabel('Предмет').selectOption({ label: load.subject });
    await form.getByLabel('Учитель').selectOption({ label: load.teacher });
    await form.getByLabel('Часов в неделю').fill(load.hours);
    await form.getByRole('button', { name: 'Назначить' }).click();
    await expect(form).toBeHidden();
  }

  row(text: string): Locator {
    return this.page.getByRole('table', { name: 'Нагрузка' }).getByRole('row').filter({ hasText: text });
  }
}

export class TimetableScreen {
  constructor(private readonly page: Page) {}

  async chooseClass(name: string) {
    await this.page.getByRole('combobox', { name: 'Класс' }).selectOption({ label: name });
    await expect(this.page.getByRole('table', { name: `Расписание ${name}` })).toBeVisible();
  }

  /** Puts the class's lesson (subject — teacher) into a slot; the form stays open when refused. */
  async place(slot: { weekday: string; lesson: number; load: string; room?: string }) {
    await this.page.getByRole('button', { name: `Поставить урок: ${slot.weekday}, ${slot.lesson} урок` }).click();
    const form = this.page.getByRole('form', { name: 'Поставить урок' });
    await form.getByLabel('Предмет и учитель').selectOption({ label: slot.load });
    if (slot.room) await form.getByLabel('Кабинет').fill(slot.room);
    await form.getByRole('button', { name: 'Поставить' }).click();
    return form;
  }
}

export class ImportScreen {
  constructor(private readonly page: Page) {}

  async choose(kind: string, file: string) {
    const section = this.page.getByRole('region', { name: 'Импорт' });
    await section.getByRole('radio', { name: kind }).check();
    await section.getByLabel('Файл').setInputFiles(fixtureFile(file));
  }

  get summary(): Locator {
    return this.page.getByRole('status', { name: 'Итог проверки' });
  }

  get rows(): Locator {
    return this.page.getByRole('table', { name: 'Строки файла' });
  }

  row(number: number): Locator {
    return this.rows.getByRole('row').filter({ has: this.page.getByRole('cell', { name: String(number), exact: true }) });
  }

  get loadButton(): Locator {
    return this.page.getByRole('region', { name: 'Импорт' }).getByRole('button', { name: 'Загрузить' });
  }
}
