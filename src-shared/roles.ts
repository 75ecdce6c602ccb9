// Staff roles (D-1 … D-9). Students and parents never have accounts (D-9).
// «Классный руководитель» is not a role: it follows from being assigned to a class.
export const roles = [
  'director',
  'deputy',
  'administrator',
  'teacher',
  'secretary',
  'psychologist',
  'medical',
] as const;
export type Role = (typeof roles)[number];

export const roleTitles: Record<Role, string> = {
  director: 'Директор',
  deputy: 'Заместитель директора по УВР',
  administrator: 'Администратор ЭЖ',
  teacher: 'Учитель',
  secretary: 'Секретарь учебной части',
  psychologist: 'Психолог, социальный педагог, логопед',
  medical: 'Медицинский работник',
};

/**
 * Permissions a method may require. `public` needs no session; `signedIn` any session,
 * even one that must still change its temporary password; `session` any signed-in account
 * whose password is not temporary. Row-level rules (a teacher's own
 * load, a class teacher's own class) are checked by the handlers on top of these.
 */
export const permissions = [
  'public',
  'signedIn',
  'session',
  'accounts.manage',
  'audit.read',
  'school.read',
  'school.manage',
  'school.people',
  'journal.read',
  'journal.write',
  'journal.approve',
  'journal.admin',
  'attendance.resolve',
  'print.journal',
  'backup.manage',
  // Where this PC keeps the school's data.
  'pc.manage',
  // The substitution register (002 §7A.4): deputy and administrator keep it, others read.
  'substitutions.read',
  'substitutions.manage',
  // Reports (D-30 … D-32): the forms a role may open; rows are limited by the handlers.
  'reports.read',
  // The deputy's control summary of the whole school's journal (D-32).
  'reports.control',
  // Paper for parents (D-9, D-31): the class teacher prints extracts and ticks returned strips
  // of her class (checked in the handlers); the administration for any class.
  'extracts.print',
  // The share of returned strips per class.
  'extracts.overview',
  // The pedagogical council's decisions (перевод, выпуск).
  'extracts.council',
  // Students' and parents' data (D-5, D-6): the class teacher her class, the secretary and
  // the administrator the whole school; the handlers check the class.
  'students.keep',
] as const;
export type Permission = (typeof permissions)[number];

type Grantable = Exclude<Permission, 'public' | 'signedIn' | 'session'>;

export const rolePermissions: Record<Role, readonly Grantable[]> = {
  // D-1: sees everything, changes nothing in the journal.
  director: ['audit.read', 'school.read', 'journal.read', 'print.journal', 'substitutions.read', 'reports.read', 'reports.control', 'extracts.print', 'extracts.overview', 'extracts.council'],
  // D-2: sees everything, approves late changes, prints the journals.
  deputy: ['audit.read', 'school.read', 'journal.read', 'journal.approve', 'print.journal', 'substitutions.read', 'substitutions.manage', 'reports.read', 'reports.control', 'extracts.print', 'extracts.overview', 'extracts.council'],
  // D-3: accounts, settings, year structure, backups.
  administrator: [
    'accounts.manage',
    'audit.read',
    'school.read',
    'school.manage',
    'school.people',
    'journal.read',
    'journal.approve',
    'journal.admin',
    'print.journal',
    'backup.manage',
    'pc.manage',
    'substitutions.read',
    'substitutions.manage',
    'reports.read',
    'extracts.print',
    'extracts.overview',
    'extracts.council',
    'students.keep',
  ],
  // D-4, D-5: own lessons; a class teacher also resolves absences of the own class.
  teacher: ['school.read', 'journal.read', 'journal.write', 'attendance.resolve', 'print.journal', 'reports.read', 'extracts.print', 'students.keep'],
  // D-6: reads everything, keeps classes, students and their movement.
  secretary: ['school.read', 'school.people', 'journal.read', 'substitutions.read', 'students.keep'],
  // D-7: read-only.
  psychologist: ['school.read', 'journal.read'],
  // D-8: no journal access.
  medical: ['school.read'],
};

export function hasPermission(userRoles: readonly Role[], permission: Permission): boolean {
  if (permission === 'public' || permission === 'signedIn' || permission === 'session') return true;
  return userRoles.some((role) => rolePermissions[role].includes(permission));
}
