import { constants, deflateRawSync } from 'node:zlib';

// Crafted XLSX files for the import's limits: small on disk, huge unpacked. Built here, in
// memory, so no bomb is kept in the repository. A zip part's packed bytes are produced from a
// chunk compressed once and repeated: each copy ends with a full flush (byte-aligned, no
// back-references), so the copies inflate one after another to the chunk repeated.

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface ZipPart {
  name: string;
  /** Packed (raw deflate) bytes and the true unpacked size. */
  packed: Buffer;
  unpackedSize: number;
  /** The size the table of contents claims; the true one unless the file lies. */
  declaredSize?: number;
}

export function deflatedPart(name: string, content: Buffer | string): ZipPart {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  return { name, packed: deflateRawSync(bytes), unpackedSize: bytes.length };
}

/** `head`, then `chunk` repeated `times` times, then `tail`, packed without ever being unpacked here. */
export function repeatedPart(name: string, head: string, chunk: string, times: number, tail: string): ZipPart {
  const flushed = (text: string) => deflateRawSync(Buffer.from(text, 'utf8'), { finishFlush: constants.Z_FULL_FLUSH, level: 9 });
  // About a megabyte of copies per packed block: deflate packs those to a few kilobytes.
  const perBlock = Math.max(1, Math.floor(1_000_000 / Buffer.byteLength(chunk)));
  const block = flushed(chunk.repeat(perBlock));
  const blocks = Array.from({ length: Math.floor(times / perBlock) }, () => block);
  const rest = times % perBlock > 0 ? [flushed(chunk.repeat(times % perBlock))] : [];
  const packed = Buffer.concat([flushed(head), ...blocks, ...rest, deflateRawSync(Buffer.from(tail, 'utf8'))]);
  return { name, packed, unpackedSize: Buffer.byteLength(head) + Buffer.byteLength(chunk) * times + Buffer.byteLength(tail) };
}

/** A zip of the parts (deflate, CRC left 0: the reader under test does not rely on it). */
export function zipOf(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(part.packed.length, 18);
    local.writeUInt32LE(part.declaredSize ?? part.unpackedSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(part.packed.length, 20);
    central.writeUInt32LE(part.declaredSize ?? part.unpackedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, part.packed);
    centrals.push(central, name);
    offset += local.length + name.length + part.packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`;

/** The parts every book needs besides its sheet (and, if given, its shared strings). */
export function bookParts(sheet: ZipPart, sharedStrings?: ZipPart): ZipPart[] {
  return [
    deflatedPart('[Content_Types].xml', xml(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`)),
    deflatedPart('_rels/.rels', xml(`<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`)),
    deflatedPart('xl/workbook.xml', xml(`<workbook xmlns="${MAIN}" xmlns:r="${DOC_RELS}"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>`)),
    deflatedPart('xl/_rels/workbook.xml.rels', xml(`<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="${DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)),
    ...(sharedStrings ? [sharedStrings] : []),
    sheet,
  ];
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
export const SHEET_HEAD = xml(`<worksheet xmlns="${MAIN}"><sheetData><row r="1">${inline('A1', 'Фамилия')}${inline('B1', 'Имя')}${inline('C1', 'Класс')}</row>`);
export const SHEET_TAIL = '</sheetData></worksheet>';
/** One student row; the row number repeats (the reader numbers rows that do not go up). */
export const STUDENT_ROW = `<row r="2">${inline('A2', 'Иванов')}${inline('B2', 'Иван')}${inline('C2', '5А')}</row>`;

/** An honest bomb: `rows` student rows, its table of contents telling the true size. */
export function rowsBomb(rows: number): Buffer {
  return zipOf(bookParts(repeatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD, STUDENT_ROW, rows, SHEET_TAIL)));
}

/** A lying bomb: the sheet claims `declaredSize` bytes and unpacks to `rows` rows. */
export function lyingBomb(rows: number, declaredSize: number): Buffer {
  const sheet = repeatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD, STUDENT_ROW, rows, SHEET_TAIL);
  return zipOf(bookParts({ ...sheet, declaredSize }));
}

/** A sheet of `count` distinct students (rows 2…), packed as Excel packs: no bomb, just long. */
export function longSheet(count: number): Buffer {
  const rows: string[] = [];
  for (let n = 2; n < count + 2; n++) rows.push(`<row r="${n}">${inline(`A${n}`, `Иванов${n}`)}${inline(`B${n}`, `Иван${(n * 7919) % 10007}`)}${inline(`C${n}`, '5А')}</row>`);
  return zipOf(bookParts(deflatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD + rows.join('') + SHEET_TAIL)));
}
