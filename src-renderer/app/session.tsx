import { createContext, useCallback, useContext } from 'react';
import type { CurrentUser } from '../../src-shared/contract/auth';
import { hasPermission, type Permission } from '../../src-shared/roles';

export interface SchoolInfo {
  name: string;
  /** Instants are shown in the school's time zone (docs/architecture.md principle 6). */
  timeZone: string;
}

export interface SessionValue {
  user: CurrentUser;
  school: SchoolInfo;
  signOut(): Promise<void>;
  /** Re-reads the signed-in person (after their roles or name changed). */
  refreshUser(): Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession вне приложения после входа');
  return value;
}

/** Whether the signed-in person's roles grant `permission` (to hide, never to enforce). */
export function useCan(): (permission: Permission) => boolean {
  const { user } = useSession();
  return useCallback((permission: Permission) => hasPermission(user.roles, permission), [user.roles]);
}
