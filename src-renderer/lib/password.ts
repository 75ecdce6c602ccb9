// Letters and digits that cannot be misread when a password is dictated or copied from paper.
const READABLE = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A temporary password such as «Kp7m-x4qZ-t9Ra»: 12 random characters, about 70 bits. */
export function generateTemporaryPassword(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  const characters = [...bytes].map((byte) => READABLE[byte % READABLE.length]).join('');
  return `${characters.slice(0, 4)}-${characters.slice(4, 8)}-${characters.slice(8, 12)}`;
}
