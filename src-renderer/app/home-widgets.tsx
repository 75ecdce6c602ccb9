import type { ComponentType } from 'react';
import type { Permission } from '../../src-shared/roles';
import { TodayLessonsWidget } from '../pages/school/TodayLessonsWidget';
import { UnresolvedAbsencesWidget } from '../pages/attendance/AttendancePage';
import { MyLessonsWidget } from '../pages/journal/MyLoadsPage';
import { BackupOverdueWidget } from '../pages/backup/BackupOverdueWidget';
import { MySubstitutionsWidget } from '../pages/substitutions/MySubstitutionsWidget';
import { ControlSummaryWidget } from '../pages/reports/ControlSummaryWidget';
import { AccountsAttentionWidget, MyMissingEntriesWidget, RiskGroupWidget } from '../pages/reports/RoleWidgets';
import { ExtractsWidget } from '../pages/extracts/ExtractsWidget';

/**
 * Blocks of the home page (e.g. a teacher's lessons today, unresolved absences), in order.
 * To add one: one line here. Shown only to those whose roles grant `permission`.
 */
export interface HomeWidget {
  id: string;
  permission: Permission;
  component: ComponentType;
}

export const homeWidgets: HomeWidget[] = [
  { id: 'control-summary', permission: 'reports.control', component: ControlSummaryWidget },
  { id: 'backup-overdue', permission: 'backup.manage', component: BackupOverdueWidget },
  { id: 'accounts-attention', permission: 'accounts.manage', component: AccountsAttentionWidget },
  { id: 'today-lessons', permission: 'journal.write', component: TodayLessonsWidget },
  { id: 'my-missing-entries', permission: 'journal.write', component: MyMissingEntriesWidget },
  { id: 'my-substitutions', permission: 'journal.write', component: MySubstitutionsWidget },
  { id: 'parent-extracts', permission: 'extracts.print', component: ExtractsWidget },
  { id: 'unresolved-absences', permission: 'attendance.resolve', component: UnresolvedAbsencesWidget },
  { id: 'risk-group', permission: 'reports.read', component: RiskGroupWidget },
  { id: 'my-lessons', permission: 'journal.read', component: MyLessonsWidget },
];
