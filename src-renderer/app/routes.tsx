import type { ComponentType } from 'react';
import { AccountsPage } from '../pages/admin/AccountsPage';
import { PasswordRequestsPage } from '../pages/admin/PasswordRequestsPage';
import { AuditPage } from '../pages/audit/AuditPage';
import { HomePage } from '../pages/HomePage';
import { ClassesPage } from '../pages/school/ClassesPage';
import { ImportExportPage } from '../pages/school/ImportExportPage';
import { LoadPage } from '../pages/school/LoadPage';
import { StaffPage } from '../pages/school/StaffPage';
import { StudentsPage } from '../pages/school/StudentsPage';
import { SubjectsPage } from '../pages/school/SubjectsPage';
import { TimetablePage } from '../pages/school/TimetablePage';
import { YearPage } from '../pages/school/YearPage';
import { MarksSettingsPage } from '../pages/settings/MarksSettingsPage';
import { AttendancePage } from '../pages/attendance/AttendancePage';
import { ChangesPage } from '../pages/changes/ChangesPage';
import { JournalPage } from '../pages/journal/JournalPage';
import { MyLoadsPage } from '../pages/journal/MyLoadsPage';
import { PrintJournalPage } from '../pages/printing/PrintJournalPage';
import { BackupPage } from '../pages/backup/BackupPage';
import { DataLocationPage } from '../pages/settings/DataLocationPage';
import { SubstitutionsPage } from '../pages/substitutions/SubstitutionsPage';
import { ReportsPage } from '../pages/reports/ReportsPage';
import { ExtractsPage } from '../pages/extracts/ExtractsPage';
import { FulfilmentPage } from '../pages/plans/FulfilmentPage';
import { PlanPage } from '../pages/plans/PlanPage';
import { PlansPage } from '../pages/plans/PlansPage';
import type { MenuRoute } from './menu';

/**
 * Every page of the app, in menu order. To add a page: one line here.
 * The menu shows a page only to those whose roles grant `permission` (narrowed by `visibleMenu`
 * in menu.ts); that merely hides it — the core checks every method on its own
 * (docs/architecture.md principle 3).
 */
export interface AppRoute extends MenuRoute {
  component: ComponentType;
}

export const routes: AppRoute[] = [
  { path: '/', title: 'Главная', permission: 'session', component: HomePage },
  { path: '/journal', title: 'Журнал', permission: 'journal.read', component: MyLoadsPage, group: 'Учебный процесс' },
  { path: '/journal/:loadId', title: 'Страница журнала', permission: 'journal.read', component: JournalPage, group: 'Учебный процесс', hiddenFromMenu: true },
  { path: '/plans', title: 'КТП', permission: 'journal.read', component: PlansPage, group: 'Учебный процесс', menuFor: ['journal.write', 'journal.approve'] },
  { path: '/plans/:loadId', title: 'КТП', permission: 'journal.read', component: PlanPage, group: 'Учебный процесс', hiddenFromMenu: true },
  { path: '/fulfilment', title: 'Выполнение программы', permission: 'journal.approve', component: FulfilmentPage, group: 'Учебный процесс' },
  { path: '/attendance', title: 'Пропуски класса', permission: 'attendance.resolve', component: AttendancePage, group: 'Учебный процесс', classWork: true },
  { path: '/changes', title: 'Запросы на изменение', permission: 'journal.read', component: ChangesPage, group: 'Учебный процесс', menuFor: ['journal.write', 'journal.approve'] },
  { path: '/substitutions', title: 'Замены', permission: 'substitutions.read', component: SubstitutionsPage, group: 'Учебный процесс' },
  { path: '/school/year', title: 'Учебный год', permission: 'school.read', component: YearPage, group: 'Школа' },
  { path: '/school/subjects', title: 'Предметы и учебный план', permission: 'school.read', component: SubjectsPage, group: 'Школа' },
  { path: '/school/classes', title: 'Классы', permission: 'school.read', component: ClassesPage, group: 'Школа' },
  { path: '/school/students', title: 'Ученики', permission: 'school.read', component: StudentsPage, group: 'Школа', forClassTeacher: true },
  { path: '/school/staff', title: 'Сотрудники', permission: 'school.read', component: StaffPage, group: 'Школа' },
  { path: '/school/load', title: 'Нагрузка', permission: 'school.read', component: LoadPage, group: 'Школа' },
  { path: '/school/timetable', title: 'Расписание', permission: 'school.read', component: TimetablePage, group: 'Школа' },
  { path: '/settings/marks', title: 'Настройки отметок', permission: 'school.manage', component: MarksSettingsPage, group: 'Школа' },
  { path: '/school/import', title: 'Импорт и экспорт', permission: 'school.people', component: ImportExportPage, group: 'Школа' },
  { path: '/reports', title: 'Отчёты', permission: 'reports.read', component: ReportsPage, group: 'Отчёты' },
  { path: '/extracts', title: 'Отчёты для родителей', permission: 'extracts.print', component: ExtractsPage, group: 'Отчёты', classWork: true },
  { path: '/print', title: 'Печать журнала', permission: 'print.journal', component: PrintJournalPage, group: 'Отчёты' },
  { path: '/admin/accounts', title: 'Учётные записи', permission: 'accounts.manage', component: AccountsPage, group: 'Администрирование' },
  { path: '/admin/password-requests', title: 'Заявки на пароль', permission: 'accounts.manage', component: PasswordRequestsPage, group: 'Администрирование' },
  { path: '/admin/backup', title: 'Резервные копии', permission: 'backup.manage', component: BackupPage, group: 'Администрирование' },
  { path: '/admin/data-location', title: 'Хранение данных', permission: 'pc.manage', component: DataLocationPage, group: 'Администрирование' },
  { path: '/audit', title: 'Журнал изменений', permission: 'audit.read', component: AuditPage, group: 'Администрирование' },
];
