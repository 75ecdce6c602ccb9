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

export const authContract = {
  'setup.status': query(
    'public',
    empty,
    z.object({ initialized: z.boolean(), schoolName: z.string().nullable(), timeZone: z.string().nullable() }),
    'Создана ли школа в этой базе (первый запуск)',
  ),
  'setup.createSchool': command(
    'public',
    z.object({
      schoolName: requiredText(300, 'Название школы'),
      timeZone: schoolTimeZone,
      adminLogin: login,
      adminFullName: requiredText(200, 'ФИО администратора'),
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
      accounts: z.array(z.object({ login: z.string(), fullName: z.string(), roles: z.array(z.enum(roles)), note: z.string() })),
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
    z.object({ currentPassword: typedPassword, newPassword }),
    done,
    'Сменить свой пароль (в том числе временный при первом входе)',
  ),
  'auth.requestPasswordReset': command(
    'public',
    z.object({ login: text(64).toLowerCase().pipe(z.string().min(1, 'Укажите логин')), note: text(500).default('') }),
    done,
    'Заявка на новый пароль: регистрируется с датой',
  ),
};
