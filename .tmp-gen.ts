import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
const wb = new ExcelJS.Workbook(); const sh = wb.addWorksheet('Ученики');
sh.addRow(['Фамилия','Имя','Отчество','Дата рождения','Пол','Класс','Дата зачисления','Приказ о зачислении']);
const sur = ['Иванов','Петров','Сидоров','Кузнецов','Смирнов','Попов','Волков','Козлов'];
for (let i = 0; i < 20000; i++) sh.addRow([sur[i%8]+(i%97), 'Имя'+(i%53), 'Отчество'+(i%31), new Date(Date.UTC(2012+(i%6), i%12, 1+(i%28))), i%2?'м':'ж', `${1+(i%11)}А`, '01.09.2026', 'Приказ № '+(i%300)]);
writeFileSync('/tmp/legit20k.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
