import { z } from 'zod';
import { addressLooksPostal, ADDRESS_MESSAGE, normalizePhone, PHONE_MESSAGE } from '../rules/contacts';
import { command, query } from './define';
import { done, id, isoDate, requiredText, text } from './common';

// Parents and legal representatives of a student (000 §4.6.2–4.6.4; D-5, D-45): kept by the
// class teacher for her class and by the secretary for the whole school.

export const parentRelations = ['мать', 'отец', 'опекун', 'попечитель', 'приёмный родитель', 'иной законный представитель'] as const;

const phone = text(40).refine((value) => value === '' || normalizePhone(value) !== null, PHONE_MESSAGE);
const address = text(300).refine((value) => value === '' || addressLooksPostal(value), ADDRESS_MESSAGE);

export const parentFields = {
  fullName: requiredText(200, 'ФИО', 'Укажите фамилию, имя и отчество'),
  relation: z.enum(parentRelations, { message: 'Выберите, кем приходится ученику' }),
  phone: phone.default(''),
  address: address.default(''),
  /** The one the paper extracts and letters go to; setting it takes it from the others. */
  receivesPaper: z.boolean().default(false),
  /** D-45: their consent to processing their own personal data. */
  consentGivenOn: isoDate.nullable().default(null),
  consentWithdrawnOn: isoDate.nullable().default(null),
};

export const parentInput = z.object({ studentId: id, ...parentFields });
export const parentUpdateInput = z.object({ id, ...parentFields });

export const studentParent = z.object({
  id,
  studentId: id,
  fullName: z.string(),
  relation: z.enum(parentRelations),
  phone: z.string(),
  address: z.string(),
  receivesPaper: z.boolean(),
  consentGivenOn: z.string().nullable(),
  consentWithdrawnOn: z.string().nullable(),
  /** D-45: no consent in force today — shown, never hidden. */
  consentMissing: z.boolean(),
});
export type StudentParent = z.infer<typeof studentParent>;

export const parentsContract = {
  'students.parents.list': query('school.read', z.object({ studentId: id }), z.array(studentParent), 'Родители и законные представители ученика'),
  'students.parents.add': command('students.keep', parentInput, studentParent, 'Добавить родителя (законного представителя) с телефоном, адресом и согласием'),
  'students.parents.update': command('students.keep', parentUpdateInput, studentParent, 'Исправить сведения о родителе, его согласие'),
  'students.parents.remove': command('students.keep', z.object({ id }), done, 'Удалить родителя из карточки ученика'),
};
