import type { Account } from '../../../src-shared/contract/accounts';
import { formatTime } from '../../lib/time';

export interface AccountState {
  label: string;
  tone: 'ok' | 'warn' | 'bad';
}

export function isLockedNow(account: Account, now = new Date()): boolean {
  return account.lockedUntil !== null && new Date(account.lockedUntil) > now;
}

/** What the administrator needs to know at a glance; the worst first. */
export function accountStates(account: Account, timeZone: string, now = new Date()): AccountState[] {
  const states: AccountState[] = [];
  if (account.compromisedAt) states.push({ label: 'скомпрометирована', tone: 'bad' });
  else if (!account.active) states.push({ label: 'заблокирована', tone: 'bad' });
  if (isLockedNow(account, now)) states.push({ label: `заблокирована до ${formatTime(account.lockedUntil!, timeZone)}`, tone: 'bad' });
  if (account.mustChangePassword) states.push({ label: 'временный пароль', tone: 'warn' });
  if (states.length === 0) states.push({ label: 'активна', tone: 'ok' });
  return states;
}
