import { createHash } from 'node:crypto';

/**
 * The school's audit key as a recovery phrase an administrator can print, keep in the safe
 * and type on another PC: the 32 key bytes and a 2-byte checksum in Crockford's base32
 * (no I, L, O, U), 55 characters in groups of five. The checksum catches a typo before the
 * key is tried; the school row's key id (a hash of the key) tells the right key from
 * another school's without revealing anything about it.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_BYTES = 32;
const CHECK_BYTES = 2;
const PHRASE_CHARS = Math.ceil(((KEY_BYTES + CHECK_BYTES) * 8) / 5);

/** Letters typed on a Russian layout that look like the Latin ones, and the usual confusions. */
const LOOKALIKES: Record<string, string> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: '0', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', З: '3',
  O: '0', I: '1', L: '1',
};

function checksum(secret: Buffer): Buffer {
  return createHash('sha256').update('zhurnal audit key phrase\0').update(secret).digest().subarray(0, CHECK_BYTES);
}

/** «7F3AB-09C1E-…»: the phrase for a 32-byte key. */
export function phraseOf(secret: Buffer): string {
  if (secret.length !== KEY_BYTES) throw new Error('The audit key is 32 bytes');
  const bytes = Buffer.concat([secret, checksum(secret)]);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.match(/.{1,5}/g)!.join('-');
}

export type ParsedPhrase = { ok: true; secret: Buffer } | { ok: false; message: string };

/**
 * The key from what the administrator typed or the key file holds: spaces, dashes, case,
 * Cyrillic lookalikes and surrounding text are forgiven; a wrong length or checksum is not.
 */
export function parsePhrase(text: string): ParsedPhrase {
  const normalize = (line: string) => [...line.toUpperCase().replace(/[\s-]/g, '')].map((c) => LOOKALIKES[c] ?? c).join('');
  // A key file holds the phrase on a line of its own, among lines of text.
  const lines = text.split(/\r?\n/).map(normalize);
  const chars = lines.find((line) => line.length === PHRASE_CHARS && [...line].every((c) => ALPHABET.includes(c))) ?? normalize(text);
  if (chars.length !== PHRASE_CHARS) {
    return { ok: false, message: `Фраза ключа — ${PHRASE_CHARS} букв и цифр (11 групп по 5), а введено ${chars.length}. Проверьте, что она переписана целиком.` };
  }
  const bad = [...chars].find((c) => !ALPHABET.includes(c));
  if (bad) return { ok: false, message: `В фразе ключа нет символа «${bad}»: в ней только цифры и латинские буквы без I, L, O, U.` };
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const c of chars) {
    value = (value << 5) | ALPHABET.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
      value &= (1 << bits) - 1;
    }
  }
  const all = Buffer.from(bytes.slice(0, KEY_BYTES + CHECK_BYTES));
  const secret = all.subarray(0, KEY_BYTES);
  if (!checksum(secret).equals(all.subarray(KEY_BYTES))) {
    return { ok: false, message: 'Фраза ключа набрана с ошибкой (не сходится контрольная сумма). Сверьте каждую группу с листком.' };
  }
  return { ok: true, secret: Buffer.from(secret) };
}

/** The text of the key file (and of the printed slip). */
export function keyFileText(schoolName: string, secret: Buffer, at: string): string {
  return [
    '«Журнал»: ключ журнала изменений школы',
    `Школа: ${schoolName}`,
    `Выдан: ${at}`,
    '',
    phraseOf(secret),
    '',
    'Нужен, чтобы другие компьютеры школы подписывали записи журнала изменений и резервные копии.',
    'Храните как ключ от сейфа: у кого он есть, тот может подписывать записи от имени программы.',
    '',
  ].join('\n');
}
