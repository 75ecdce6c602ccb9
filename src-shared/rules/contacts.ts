// A parent's phone and address for letters (000 §4.6.2): checked the same in the form and
// in the core; a wrong shape is refused with the message shown beside the field.

export const PHONE_MESSAGE = 'Телефон: 11 цифр, начиная с +7 или 8, например +7 912 345-67-89';
export const ADDRESS_MESSAGE = 'Адрес для писем: улица (или населённый пункт), дом и квартира, например «ул. Ленина, д. 5, кв. 12»';

/** «8 (912) 345-67-89», «+79123456789» → «+7 (912) 345-67-89»; null when it is not a Russian number. */
export function normalizePhone(typed: string): string | null {
  const trimmed = typed.trim();
  if (!/^\+?[\d\s()-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length !== 11) return null;
  if (trimmed.startsWith('+') ? digits[0] !== '7' : digits[0] !== '7' && digits[0] !== '8') return null;
  const d = digits.slice(1);
  return `+7 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8, 10)}`;
}

/** A postal address has words and a house number: at least one letter and one digit, 10+ characters. */
export function addressLooksPostal(address: string): boolean {
  const trimmed = address.trim();
  return trimmed.length >= 10 && /[А-Яа-яЁёA-Za-z]{2,}/.test(trimmed) && /\d/.test(trimmed);
}
