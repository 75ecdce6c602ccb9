import { createInflateRaw } from 'node:zlib';
import { invalid } from '../../core/errors';

// An XLSX is a zip. Before anything is unpacked its table of contents (the central directory
// at the end of the file) is read and judged: how many parts, how large unpacked, how hard
// packed. A part is then unpacked only when asked for, as a stream counted against the size
// the table of contents declared, so a file that lies about its sizes stops where it lies.

/** Unpacked size of the whole book; a school list of 20 000 rows is a few megabytes. */
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
/** Parts in one book; Excel writes a dozen or so, a few hundred with many sheets and pictures. */
export const MAX_ZIP_ENTRIES = 1000;
/** Unpacked : packed for a part larger than RATIO_CHECK_FROM; real sheets stay far below. */
export const MAX_COMPRESSION_RATIO = 100;
const RATIO_CHECK_FROM = 1024 * 1024;

export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  packedSize: number;
  unpackedSize: number;
  localHeaderOffset: number;
}

const damaged = () => invalid('Не удалось прочитать книгу Excel: файл повреждён или это не .xlsx.');
const megabytes = (bytes: number) => Math.ceil(bytes / (1024 * 1024));

function endOfCentralDirectory(bytes: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65 535 bytes, at the very end.
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === 0x06054b50) return at;
  }
  throw damaged();
}

/** The book's table of contents, refused when it promises a bomb. */
export function readZipDirectory(bytes: Buffer): Map<string, ZipEntry> {
  const end = endOfCentralDirectory(bytes);
  const disk = bytes.readUInt16LE(end + 4);
  const directoryDisk = bytes.readUInt16LE(end + 6);
  const count = bytes.readUInt16LE(end + 10);
  const directorySize = bytes.readUInt32LE(end + 12);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (disk !== 0 || directoryDisk !== 0) throw damaged();
  // ZIP64 markers: only a book of gigabytes needs them.
  if (count === 0xffff || directoryOffset === 0xffffffff || directorySize === 0xffffffff) throw tooLarge(Number.POSITIVE_INFINITY);
  if (count > MAX_ZIP_ENTRIES) throw invalid(`Книга Excel не принята: в ней больше ${MAX_ZIP_ENTRIES} частей, у обычной таблицы их десятки. Сохраните список заново или как CSV.`);
  if (directoryOffset + directorySize > end) throw damaged();

  const entries = new Map<string, ZipEntry>();
  let total = 0;
  let at = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== 0x02014b50) throw damaged();
    const flags = bytes.readUInt16LE(at + 8);
    const nameLength = bytes.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      name: bytes.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength),
      method: bytes.readUInt16LE(at + 10),
      encrypted: (flags & 1) === 1,
      packedSize: bytes.readUInt32LE(at + 20),
      unpackedSize: bytes.readUInt32LE(at + 24),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
    };
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (entry.unpackedSize === 0xffffffff || entry.packedSize === 0xffffffff) throw tooLarge(Number.POSITIVE_INFINITY);
    total += entry.unpackedSize;
    if (total > MAX_UNPACKED_BYTES) throw tooLarge(total);
    if (entry.unpackedSize > RATIO_CHECK_FROM && entry.unpackedSize > entry.packedSize * MAX_COMPRESSION_RATIO) {
      const ratio = entry.packedSize === 0 ? '∞' : String(Math.round(entry.unpackedSize / entry.packedSize));
      throw invalid(`Книга Excel не принята: её часть сжата в ${ratio} раз (допустимо до ${MAX_COMPRESSION_RATIO}) — так выглядят подделанные файлы. Сохраните список в Excel заново или как CSV.`);
    }
    if (entries.has(entry.name)) throw damaged(); // two parts of one name: which one Excel reads is anyone's guess
    entries.set(entry.name, entry);
  }
  return entries;
}

function tooLarge(bytes: number): Error {
  const size = Number.isFinite(bytes) ? `${megabytes(bytes)} МБ` : 'больше 4 ГБ';
  return invalid(
    `Книга Excel не принята: распакованная она заняла бы ${size}, допустимо не больше ${megabytes(MAX_UNPACKED_BYTES)} МБ. Оставьте в файле только нужный список или сохраните его как CSV.`,
  );
}

/**
 * A part's bytes, unpacked as they are read: never more than the table of contents declared
 * (a part that unpacks to more is refused at that moment), never unpacked unless read.
 */
export async function* entryBytes(bytes: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  if (entry.encrypted) throw invalid('Книга Excel защищена паролем: снимите защиту в Excel и сохраните файл заново.');
  const local = entry.localHeaderOffset;
  if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50) throw damaged();
  const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
  if (start + entry.packedSize > bytes.length) throw damaged();
  const packed = bytes.subarray(start, start + entry.packedSize);
  if (entry.method === 0) {
    if (entry.packedSize !== entry.unpackedSize) throw damaged();
    for (let at = 0; at < packed.length; at += 64 * 1024) yield packed.subarray(at, at + 64 * 1024);
    return;
  }
  if (entry.method !== 8) throw damaged();
  const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
  inflate.end(packed);
  let unpacked = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      unpacked += chunk.length;
      if (unpacked > entry.unpackedSize) throw invalid('Книга Excel не принята: её части распаковываются в больший объём, чем указано в самом файле, — так выглядят подделанные файлы.');
      yield chunk;
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('Z_')) throw damaged();
    throw error;
  } finally {
    inflate.destroy();
  }
  if (unpacked !== entry.unpackedSize) throw damaged();
}
