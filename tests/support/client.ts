import type { Core } from '../../src-main/app/core';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/contract/index';
import type { AppErrorPayload, Envelope } from '../../src-shared/contract/envelope';

/** Calls the core through its router as a signed-in person (or anonymously). */
export class TestSession {
  constructor(
    readonly core: Core,
    public token: string | null = null,
  ) {}

  raw(method: string, input: unknown): Promise<Envelope<unknown>> {
    return this.core.call({ method, input, session: this.token });
  }

  /** The value, or a thrown error naming the failure. */
  async ok<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const result = await this.raw(method, input);
    if (!result.ok) throw new Error(`${method} → ${result.error.kind}: ${result.error.message}`);
    return result.value as MethodOutput<M>;
  }

  /** The error of a call that must fail. */
  async fails<M extends MethodName>(method: M, input: MethodInput<M> | unknown): Promise<AppErrorPayload> {
    const result = await this.raw(method, input);
    if (result.ok) throw new Error(`${method} succeeded but was expected to fail`);
    return result.error;
  }
}

export const ADMIN = { login: 'admin', password: 'Администратор-1', fullName: 'Смирнова Ольга Петровна' };

/** Creates the school (first run) and signs its administrator in. */
export async function createSchoolAndSignIn(core: Core): Promise<TestSession> {
  const anonymous = new TestSession(core);
  await anonymous.ok('setup.createSchool', {
    schoolName: 'МАОУ «Средняя общеобразовательная школа № 7»',
    timeZone: 'Asia/Tomsk',
    adminLogin: ADMIN.login,
    adminFullName: ADMIN.fullName,
    adminPassword: ADMIN.password,
  });
  return signIn(core, ADMIN.login, ADMIN.password);
}

export async function signIn(core: Core, login: string, password: string): Promise<TestSession> {
  const anonymous = new TestSession(core);
  const { session } = await anonymous.ok('auth.login', { login, password });
  return new TestSession(core, session);
}
