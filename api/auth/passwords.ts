import { hash, verify } from '@node-rs/argon2';
import { badRequest } from '../errors.ts';

/** argon2id with the library's defaults (19 MiB, 2 passes), as OWASP recommends. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 });
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** Spends the same time as a real check, so a wrong username is not faster than a wrong password. */
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstNothing(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-password-of-anyone');
  await verifyPassword(await dummyHash, password);
}

const MIN_PASSWORD_LENGTH = 8;

export function requireStrongPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw badRequest('weak_password', {
      zh: `密码至少 ${MIN_PASSWORD_LENGTH} 位，且须同时包含字母和数字`,
      en: `A password needs at least ${MIN_PASSWORD_LENGTH} characters, with both letters and digits`,
    });
  }
}
