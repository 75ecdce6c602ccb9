/** What each journal audit action is called in the cell history and the compromised-account review. */
export const journalActionTitles: Readonly<Record<string, string>> = {
  'mark.create': 'Поставлена отметка',
  'mark.update': 'Исправлена отметка',
  'mark.delete': 'Удалена отметка',
  'attendance.set': 'Посещаемость',
  'attendance.resolve': 'Причина пропуска',
  'final.set': 'Итоговая отметка',
  'final_mark.set': 'Итоговая отметка',
  'lesson.create': 'Записан урок',
  'lesson.update': 'Изменена запись урока',
  'lesson.delete': 'Удалён урок',
  'change.request': 'Запрос на изменение',
  'change.approve': 'Запрос одобрен',
  'change.reject': 'Запрос отклонён',
  'period.lock': 'Период закрыт',
  'period.reopen': 'Период открыт',
};
