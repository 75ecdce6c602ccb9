import { createContext, useContext } from 'react';
import type { CurrentUser } from '../../src-shared/contract/auth';
import { hasPermission, type Permission, type Role } from '../../src-shared/roles';

/** Menu sections, in order. */
export const menuGroups = ['Учебный процесс', 'Школа', 'Отчёты', 'Администрирование'] as const;
export type MenuGroup = (typeof menuGroups)[number];

/** What the menu needs to know of a page (the route registry adds its component). */
export interface MenuRoute {
  /** Hash path; `:name` parts are read in the page with `useParams()`. */
  path: string;
  /** Russian; the menu item and the page heading. */
  title: string;
  permission: Permission;
  /** Menu section; see `menuGroups` for the order. No group: at the top. */
  group?: MenuGroup;
  /** Reached by links only (pages with parameters, details). */
  hiddenFromMenu?: boolean;
  /** In a setup group, yet in a class teacher's menu too (she keeps her class's students, D-5). */
  forClassTeacher?: boolean;
  /** A class teacher's work: a teacher who leads no class has nothing here, so it leaves her menu. */
  classWork?: boolean;
  /** In the menu only for these (writing or overseeing the journal); the page itself stays open to its permission. */
  menuFor?: readonly Permission[];
}

/** The school's setup is the administration's and the secretary's; a teacher's menu is teaching. */
const setupRoles: readonly Role[] = ['administrator', 'deputy', 'director', 'secretary'];
const setupGroups: readonly MenuGroup[] = ['Школа'];

/**
 * The pages this user's menu lists: what their roles open, narrowed to what their work needs.
 * It only hides: the core checks every method on its own.
 */
export function visibleMenu<R extends MenuRoute>(user: Pick<CurrentUser, 'roles' | 'classTeacherOf'>, routes: readonly R[]): R[] {
  const seesSetup = user.roles.some((role) => setupRoles.includes(role));
  const leadsClass = user.classTeacherOf.length > 0;
  // Class work shows to a class teacher, and to a role that has it without a class (a deputy's extracts).
  const otherRoles = user.roles.filter((role) => role !== 'teacher');
  return routes.filter((route) => {
    if (route.hiddenFromMenu || !hasPermission(user.roles, route.permission)) return false;
    if (route.menuFor && !route.menuFor.some((permission) => hasPermission(user.roles, permission))) return false;
    if (route.classWork && !leadsClass && !hasPermission(otherRoles, route.permission)) return false;
    if (route.group && setupGroups.includes(route.group) && !seesSetup) return route.forClassTeacher === true && leadsClass;
    return true;
  });
}

/**
 * The menu the shell shows this user, for pages that list sections (the home page). Pages read
 * it from here and never import the route registry, which imports them.
 */
export const MenuContext = createContext<readonly Pick<MenuRoute, 'path' | 'title'>[]>([]);

export function useMenu(): readonly Pick<MenuRoute, 'path' | 'title'>[] {
  return useContext(MenuContext);
}
