import { z } from 'zod';
import { roles } from '../roles';
import { command, query } from './define';
import { done, empty, id, login, newPassword, requiredText, text, typedPassword } from './common';

export const currentUser = z.object({
  id,
  login: z.string(),
  fullName: z.string(),
  position: z.string(),
  roles: z.array(z.enum(roles)),
  mustChangePassword: z.boolean(),
  /** Classes this person leads as «классный руководитель» (filled by «School setup»). */
  classTeacherOf: z.array(z.object({ id, name: z.string() })),
});
export type CurrentUser = z.infer<typeof currentUser>;

export const schoolTimeZone = text(64).refine((zone) => {
  try {
    new Intl.DateTimeFormat('ru-RU', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'Неизвестный часовой пояс');

/** Sample accounts of the demo school to try (all share one demo password). */
export const demoAccounts = z.array(z.object({ login: z.string(), fullName: z.string(), roles: z.array(z.enum(roles)), note: z.string() }));
export type DemoAccount = z.infer<typeof demoAccounts>[number];

export const authContract = {
  'setup.status': query(
    'public',
    empty,
    z.object({
      initialized: z.boolean(),
      schoolName: z.string().nullable(),
      timeZone: z.string().nullable(),
      /** The demo school's sample logins, listed on its login screen at every start; null for a real school. */
      demo: z.object({ accounts: demoAccounts, password: z.string() }).nullable(),
    }),
    'Создана ли школа в этой базе (первый запуск)',
  ),
  'setup.createSchool': command(
    'public',
    z.object({
      schoolName: requiredText(300, 'Название школы', 'Укажите название школы'),
      timeZone: schoolTimeZone,
      adminLogin: login,
      adminFullName: requiredText(200, 'ФИО администратора', 'Укажите ФИО администратора'),
      adminPassword: newPassword,
    }),
    z.object({ schoolId: id, adminId: id }),
    'Первый запуск: создать школу и её первого администратора',
  ),
  'setup.createDemo': command(
    'public',
    z.object({ seed: z.number().int().min(0).max(1_000_000).default(1) }).strict(),
    z.object({
      schoolName: z.string(),
      /** Sample accounts to try, shown on the first-run screen (all share one demo password). */
      accounts: demoAccounts,
      password: z.string(),
    }),
    'Первый запуск: открыть демонстрационную школу с уроками и отметками',
  ),
  'auth.login': command(
    'public',
    z.object({ login: text(64).min(1, 'Введите логин').toLowerCase(), password: typedPassword }),
    z.object({ session: z.string(), user: currentUser }),
    'Вход по личному логину и паролю',
  ),
  'auth.logout': command('signedIn', empty, done, 'Выход'),
  'auth.whoami': query('signedIn', empty, currentUser, 'Кто вошёл'),
  'auth.changePassword': command(
    'signedIn',
    // Absent only right after signing in with a temporary password: it was just typed.
    z.object({ currentPassword: typedPassword.optional(), newPassword }),
    done,
    'Сменить свой пароль (временный при первом входе — без повторного ввода)',
  ),
  'auth.requestPasswordReset': command(
    'public',
    z.object({ login: text(64).toLowerCase().pipe(z.string().min(1, 'Укажите логин')), note: text(500).default('') }),
    done,
    'Заявка на новый пароль: регистрируется с датой',
  ),
};
