import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { fontsDirectory } from '../../src-main/printing/pdf';

// Canaries for the private shapes of libraries our code reaches into (pinned to exact
// versions in package.json). When an upgrade changes one, this says which and where it is
// used, instead of a slow path or a wrong PDF going unnoticed.
const require = createRequire(import.meta.url);

function shapeProblem(problems: string[]): string {
  return problems.length === 0 ? '' : `Внутреннее устройство библиотеки изменилось:\n${problems.join('\n')}`;
}

describe('library internals the code depends on', () => {
  it('pg: Query with prepare(connection), utils.prepareValue, connection.parsedStatements/bind/execute (src-main/store/postgres-client.ts)', () => {
    const internals = pg as unknown as { Query?: unknown; utils?: { prepareValue?: unknown } };
    const client = new pg.Client() as unknown as { connection?: { parsedStatements?: unknown; bind?: unknown; execute?: unknown } };
    const problems: string[] = [];
    if (typeof internals.Query !== 'function') problems.push('pg.Query больше не класс — PipelinedQuery в postgres-client.ts');
    else if (typeof (internals.Query as { prototype?: { prepare?: unknown } }).prototype?.prepare !== 'function') problems.push('pg.Query.prototype.prepare(connection) пропал — PipelinedQuery.prepare в postgres-client.ts');
    if (typeof internals.utils?.prepareValue !== 'function') problems.push('pg.utils.prepareValue пропал — привязка параметров в postgres-client.ts');
    if (typeof client.connection?.parsedStatements !== 'object') problems.push('client.connection.parsedStatements пропал — учёт подготовленных выражений в postgres-client.ts');
    if (typeof client.connection?.bind !== 'function' || typeof client.connection?.execute !== 'function') problems.push('client.connection.bind/execute пропали — PipelinedQuery в postgres-client.ts');
    expect(shapeProblem(problems)).toBe('');
  });

  it('pdfmake → PDFKit → fontkit: the fields the shared fonts use (src-main/printing/pdf.ts)', () => {
    const Engine = (require('pdfmake/src/pdfKitEngine') as { getEngineInstance(): new (options: object) => Record<string, unknown> }).getEngineInstance();
    const host = new Engine({ autoFirstPage: false }) as Record<string, unknown> & { registerFont(name: string, bytes: Buffer): { font(name: string): unknown } };
    const fontFile = readFileSync(join(fontsDirectory(), 'PTSans-Regular.ttf'));
    host.registerFont('probe', fontFile).font('probe');
    const embedded = host._font as { font?: Record<string, unknown>; constructor: new (doc: unknown, font: unknown, id: string) => Record<string, unknown> } | undefined;
    const font = embedded?.font;
    const problems: string[] = [];
    if (!embedded || !font) problems.push('документ PDFKit: _font.font (шрифт fontkit) пропал');
    if (typeof host._fontCount !== 'number') problems.push('документ PDFKit: _fontCount пропал');
    if (typeof host._fontFamilies !== 'object') problems.push('документ PDFKit: _fontFamilies пропал');
    if (embedded && font) {
      const probe = new embedded.constructor(host, font, 'probe') as { layoutCached?: unknown; subset?: Record<string, unknown> };
      if (typeof probe.layoutCached !== 'function') problems.push('EmbeddedFont.layoutCached пропал');
      if (typeof probe.subset?._addGlyph !== 'function') problems.push('подмножество fontkit: _addGlyph пропал');
      if (typeof probe.subset?.includeGlyph !== 'function') problems.push('подмножество fontkit: includeGlyph пропал');
      // `glyf`, `loca`, `hmtx` are made by encode(), which then calls _addGlyph for each glyph.
      if (typeof probe.subset?.encode !== 'function') problems.push('подмножество fontkit: encode() пропал');
      for (const name of ['layout', '_getTableStream', 'getGlyph']) if (typeof font[name] !== 'function') problems.push(`шрифт fontkit: ${name}() пропал`);
      if (typeof font._glyphs !== 'object') problems.push('шрифт fontkit: _glyphs пропал');
      const glyph = (font.getGlyph as (id: number) => Record<string, unknown>)(36);
      for (const name of ['_decode', '_getMetrics']) if (typeof glyph[name] !== 'function') problems.push(`глиф fontkit: ${name}() пропал`);
    }
    expect(shapeProblem(problems)).toBe('');
  });
});
