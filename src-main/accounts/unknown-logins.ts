// Failed sign-ins under logins that do not exist, counted in memory the way a real account
// counts them in the database (attempts left, then a lock for a while), so whoever guesses
// gets the same answers whether or not the login exists. Bounded: the oldest are forgotten.

export interface LoginAttempts {
  failures: number;
  lockedUntil: string | null;
}

const NONE: LoginAttempts = { failures: 0, lockedUntil: null };

export class UnknownLoginAttempts {
  private readonly byLogin = new Map<string, LoginAttempts>();

  constructor(private readonly limit = 10_000) {}

  get(login: string): LoginAttempts {
    return this.byLogin.get(login) ?? NONE;
  }

  set(login: string, attempts: LoginAttempts): void {
    this.byLogin.delete(login);
    this.byLogin.set(login, attempts);
    if (this.byLogin.size > this.limit) this.byLogin.delete(this.byLogin.keys().next().value!);
  }
}
