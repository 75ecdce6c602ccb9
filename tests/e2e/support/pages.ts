import { expect, type Locator, type Page } from '@playwright/test';

// Page models: the tests say what a person does; these know where it is on screen.

export class FirstRunPage {
  constructor(private readonly page: Page) {}

  async expectShown() {
    await expect(this.page.getByRole('heading', { name: 'Первый запуск' })).toBeVisible();
  }

  async createSchool(school: { name: string; timeZoneLabel: string; adminFullName: string; adminLogin: string; password: string; passwordAgain?: string }) {
    await this.page.getByRole('button', { name: 'Создать свою школу' }).click();
    const form = this.page.getByRole('form', { name: 'Новая школа' });
    await form.getByLabel('Название школы').fill(school.name);
    await form.getByLabel('Часовой пояс школы').selectOption({ label: school.timeZoneLabel });
    await form.getByLabel('ФИО').fill(school.adminFullName);
    await form.getByLabel('Логин').fill(school.adminLogin);
    await form.getByLabel('Пароль', { exact: true }).fill(school.password);
    await form.getByLabel('Пароль ещё раз').fill(school.passwordAgain ?? school.password);
    // Enter submits, as a hurried person would.
    await form.getByLabel('Пароль ещё раз').press('Enter');
  }

  async openDemo() {
    await this.page.getByRole('button', { name: 'Открыть демо-школу' }).click();
  }
}

export class LoginPage {
  constructor(private readonly page: Page) {}

  get form(): Locator {
    return this.page.getByRole('form', { name: 'Вход' });
  }

  async expectShown() {
    await expect(this.page.getByRole('heading', { name: 'Вход' })).toBeVisible();
  }

  async signIn(login: string, password: string) {
    await this.form.getByLabel('Логин').fill(login);
    await this.form.getByLabel('Пароль').fill(password);
    await this.form.getByLabel('Пароль').press('Enter');
  }

  /** The message the core gave, shown over the form. */
  async expectRefusal(text: string | RegExp) {
    await expect(this.form.getByRole('alert')).toContainText(text);
  }

  async requestPasswordReset(login: string, note: string) {
    await this.page.getByRole('button', { name: 'Забыли пароль?' }).click();
    const form = this.page.getByRole('form', { name: 'Восстановление пароля' });
    await form.getByLabel('Ваш логин').fill(login);
    await form.getByLabel(/Комментарий/).fill(note);
    await form.getByRole('button', { name: 'Отправить заявку' }).click();
    await expect(this.page.getByRole('heading', { name: 'Заявка зарегистрирована' })).toBeVisible();
  }
}

export class ChangePasswordPage {
  constructor(private readonly page: Page) {}

  async expectShown() {
    await expect(this.page.getByRole('heading', { name: 'Смена временного пароля' })).toBeVisible();
  }

  async change(temporary: string, chosen: string) {
    const form = this.page.getByRole('form', { name: 'Смена временного пароля' });
    await form.getByLabel('Временный пароль').fill(temporary);
    await form.getByLabel('Новый пароль', { exact: true }).fill(chosen);
    await form.getByLabel('Новый пароль ещё раз').fill(chosen);
    await form.getByLabel('Новый пароль ещё раз').press('Enter');
  }
}

export class AppShell {
  constructor(private readonly page: Page) {}

  get menu(): Locator {
    return this.page.getByRole('navigation', { name: 'Разделы' });
  }

  get header(): Locator {
    return this.page.getByRole('banner');
  }

  async expectSignedIn(fullName: string, schoolName?: string) {
    await expect(this.header).toContainText(fullName);
    if (schoolName) await expect(this.header).toContainText(schoolName);
    await expect(this.page.getByRole('heading', { name: 'Главная' })).toBeVisible();
  }

  async open(section: string) {
    await this.menu.getByRole('link', { name: section }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: section })).toBeVisible();
  }

  async signOut() {
    await this.header.getByRole('button', { name: 'Выйти' }).click();
    await expect(this.page.getByText('Вы вышли из журнала.')).toBeVisible();
  }

  /** Calls the core through the page's own client and bridge, as a tampered page would. */
  async callCore(method: string, input: unknown) {
    return this.page.evaluate(([name, payload]) => window.zhurnalTestClient!.call(name, payload), [method, input] as const);
  }
}

export class AccountsPage {
  constructor(private readonly page: Page) {}

  /** Creates an account with the offered temporary password; returns that password. */
  async createAccount(account: { fullName: string; login: string; position?: string; roles: string[] }): Promise<string> {
    await this.page.getByRole('button', { name: 'Новая учётная запись' }).click();
    const form = this.page.getByRole('form', { name: 'Новая учётная запись' });
    await form.getByLabel('ФИО').fill(account.fullName);
    await form.getByLabel('Логин').fill(account.login);
    if (account.position) await form.getByLabel('Должность').fill(account.position);
    const roles = form.getByRole('group', { name: 'Роли' });
    for (const checkbox of await roles.getByRole('checkbox').all()) await checkbox.uncheck();
    for (const role of account.roles) await roles.getByRole('checkbox', { name: role, exact: true }).check();
    const password = await form.getByLabel('Временный пароль').inputValue();
    await form.getByRole('button', { name: 'Создать' }).click();
    await expect(this.page.getByText(`Учётная запись «${account.login}»`)).toBeVisible();
    await expect(this.page.getByTestId('issued-password')).toHaveText(password);
    return password;
  }

  row(fullName: string): Locator {
    return this.page.getByRole('row').filter({ hasText: fullName });
  }
}

export class PasswordRequestsPage {
  constructor(private readonly page: Page) {}

  row(login: string): Locator {
    return this.page.getByRole('row').filter({ hasText: login });
  }
}
