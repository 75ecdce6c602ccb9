import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

// A small reader of the PDFs we print, independent of the code that writes them: objects
// found through the cross-reference table, pages through the catalog, streams inflated.
// Enough to recompute the certification's fingerprint and read the XMP metadata.

export class PdfFile {
  private readonly text: string;
  private readonly offsets = new Map<number, number>();

  constructor(private readonly bytes: Buffer) {
    this.text = bytes.toString('latin1');
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(this.text)![1]);
    const xref = /^xref\s+(\d+) (\d+)\s+/.exec(this.text.slice(startxref))!;
    let at = startxref + xref[0].length;
    const first = Number(xref[1]);
    for (let i = 0; i < Number(xref[2]); i++) {
      const entry = this.text.slice(at, at + 20);
      if (entry[17] === 'n') this.offsets.set(first + i, Number(entry.slice(0, 10)));
      at += 20;
    }
  }

  static read(file: string): PdfFile {
    return new PdfFile(readFileSync(file));
  }

  /** The dictionary text of object `id` (up to its stream or its end). */
  dictionary(id: number): string {
    const start = this.offsets.get(id)!;
    const end = this.text.indexOf('endobj', start);
    const streamAt = this.text.indexOf('stream', start);
    return this.text.slice(start, streamAt !== -1 && streamAt < end ? streamAt : end);
  }

  /** The stream of object `id`, inflated when it is compressed. */
  stream(id: number): Buffer {
    const dict = this.dictionary(id);
    const length = Number(/\/Length (\d+)/.exec(dict)![1]);
    let start = this.offsets.get(id)! + dict.length + 'stream'.length;
    if (this.text[start] === '\r') start += 1;
    if (this.text[start] === '\n') start += 1;
    const raw = this.bytes.subarray(start, start + length);
    return dict.includes('/FlateDecode') ? inflateSync(raw) : Buffer.from(raw);
  }

  private reference(dict: string, key: string): number {
    return Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)![1]);
  }

  get catalog(): string {
    const trailer = this.text.slice(this.text.lastIndexOf('trailer'));
    return this.dictionary(this.reference(trailer, 'Root'));
  }

  /** Page object ids in page order (a flat page tree, as PDFKit writes it). */
  pages(): number[] {
    const tree = this.dictionary(this.reference(this.catalog, 'Pages'));
    const kids = /\/Kids \[([^\]]*)\]/.exec(tree)![1]!;
    return [...kids.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  }

  /** The first 16 hex digits of the SHA-256 of the content streams of pages 1 … count. */
  fingerprintOfFirstPages(count: number): string {
    const hash = createHash('sha256');
    for (const page of this.pages().slice(0, count)) hash.update(this.stream(this.reference(this.dictionary(page), 'Contents')));
    return hash.digest('hex').slice(0, 16);
  }

  /** The XMP metadata packet the catalog points to, or null. */
  metadata(): string | null {
    const match = /\/Metadata (\d+) 0 R/.exec(this.catalog);
    return match ? this.stream(Number(match[1])).toString('utf8') : null;
  }
}
