import { describe, expect, it } from 'vitest';
import { readZipDirectory } from '../../src-main/school/files/zip-entries';
import { deflatedPart, zipOf } from '../support/spreadsheet-bombs';

// The zip's table of contents is judged before anything is unpacked (the import's XLSX).

describe('an XLSX table of contents', () => {
  it('lists the parts of an ordinary book', () => {
    const entries = readZipDirectory(zipOf([deflatedPart('xl/workbook.xml', '<workbook/>'), deflatedPart('xl/worksheets/sheet1.xml', '<worksheet/>')]));
    expect([...entries.keys()]).toEqual(['xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
    expect(entries.get('xl/workbook.xml')?.unpackedSize).toBe(11);
  });

  it('refuses more than 1000 parts, sizes of ZIP64 and a cut-off file', () => {
    const many = zipOf(Array.from({ length: 1001 }, (_, n) => deflatedPart(`xl/media/${n}.xml`, 'x')));
    expect(() => readZipDirectory(many)).toThrow('Книга Excel не принята: в ней больше 1000 частей, у обычной таблицы их десятки. Сохраните список заново или как CSV.');
    const huge = zipOf([{ ...deflatedPart('xl/worksheets/sheet1.xml', '<worksheet/>'), declaredSize: 0xffffffff }]);
    expect(() => readZipDirectory(huge)).toThrow('Книга Excel не принята: распакованная она заняла бы больше 4 ГБ, допустимо не больше 50 МБ.');
    const book = zipOf([deflatedPart('xl/workbook.xml', '<workbook/>')]);
    expect(() => readZipDirectory(book.subarray(0, book.length - 10))).toThrow('Не удалось прочитать книгу Excel: файл повреждён или это не .xlsx.');
  });

  it('refuses two parts of one name: which one a reader takes is anyone\'s guess', () => {
    const twice = zipOf([deflatedPart('xl/worksheets/sheet1.xml', '<a/>'), deflatedPart('xl/worksheets/sheet1.xml', '<b/>')]);
    expect(() => readZipDirectory(twice)).toThrow('файл повреждён');
  });
});
