import { randomBytes } from 'node:crypto';

interface SessionRecord {
  userId: number;
  lastSeenMs: number;
  /** Signed in with a temporary password: the first change of it need not ask for it again. */
  withTemporaryPassword: boolean;
}

/**
 * Sessions of this PC's core, in memory: a restart signs everybody out, which is what a
 * shared classroom PC wants. Who the user is and what they may do is re-read from the
 * database on every call, so a blocked account stops at its next click.
 */
export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();

  open(userId: number, nowMs: number, options: { withTemporaryPassword?: boolean } = {}): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, { userId, lastSeenMs: nowMs, withTemporaryPassword: options.withTemporaryPassword ?? false });
    return token;
  }

  openedWithTemporaryPassword(token: string): boolean {
    return this.sessions.get(token)?.withTemporaryPassword ?? false;
  }

  /** The session's user, or why there is none; touching it extends the inactivity window. */
  touch(token: string, nowMs: number, inactivityMs: number): { userId: number } | 'unknown' | 'expired' {
    const record = this.sessions.get(token);
    if (!record) return 'unknown';
    if (nowMs - record.lastSeenMs > inactivityMs) {
      this.sessions.delete(token);
      return 'expired';
    }
    record.lastSeenMs = nowMs;
    return { userId: record.userId };
  }

  close(token: string): void {
    this.sessions.delete(token);
  }

  closeAllOf(userId: number, exceptToken?: string): void {
    for (const [token, record] of this.sessions) {
      if (record.userId === userId && token !== exceptToken) this.sessions.delete(token);
    }
  }
}
