import { z } from 'zod';
import { ru } from 'zod/locales';
import { isCalendarDate } from '../rules/dates';

// Validation messages reach teachers: Russian everywhere the contract is parsed.
z.config(ru());

/** Every string in the contract has an upper bound: a pasted novel must not reach the store. */
export const text = (max = 500) => z.string().trim().max(max, `Не длиннее ${max} символов`);
/** `whenEmpty` is what a person reads beside an empty field: «Укажите причину». */
export const requiredText = (max = 500, what = 'Поле', whenEmpty = `Заполните поле «${what}»`) =>
  z.string().trim().min(1, whenEmpty).max(max, `«${what}» — не больше ${max} символов`);

export const id = z.number().int().positive().max(2_147_483_647);

/** A school-local calendar date. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Дата в формате ГГГГ-ММ-ДД')
  .refine(isCalendarDate, 'Такой даты нет в календаре');

/** An instant, ISO-8601 in UTC. */
export const isoInstant = z.iso.datetime({ offset: true, message: 'Момент времени в формате ISO 8601' });

export const login = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'Логин — не короче 2 символов')
  .max(64, 'Логин слишком длинный: не больше 64 символов')
  .regex(/^[a-z0-9._-]+$/, 'В логине допустимы латинские буквы, цифры, точка, дефис и подчёркивание');

export const MIN_PASSWORD_LENGTH = 8;
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Пароль — не короче ${MIN_PASSWORD_LENGTH} символов`)
  .max(200, 'Пароль слишком длинный: не больше 200 символов');
/** A password typed to sign in: any length up to the bound, checked against the hash. */
export const typedPassword = z.string().min(1, 'Введите пароль').max(200, 'Пароль слишком длинный: не больше 200 символов');

export const empty = z.object({}).strict();
export const done = z.object({ done: z.literal(true) });
