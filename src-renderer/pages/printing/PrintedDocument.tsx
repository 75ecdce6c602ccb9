import { useEffect, useMemo, useRef, useState } from 'react';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { plural } from '../../school/common';
import { canOpenInTab, formatBytes, openInTab, pdfFramesAllowed, saveBlob } from './pdf-file';

export type PrintedPdf = MethodOutput<'print.classJournal'>;

/** A blob: URL for as long as the blob is on screen. */
function useBlobUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return undefined;
    const created = URL.createObjectURL(blob);
    setUrl(created);
    return () => {
      URL.revokeObjectURL(created);
      setUrl(null);
    };
  }, [blob]);
  return url;
}

/**
 * One printed document: what it is (pages, sheets, SHA-256 as recorded in the print log),
 * «Сохранить PDF», «Печать…» and the preview. The preview is a frame on a blob: URL; while
 * the app's security policy does not allow such frames, the browser build opens the PDF in a
 * new tab instead and the Electron build only saves it (the shell's print dialog is to come).
 */
export function PrintedDocument({ printed, blob, duplex }: { printed: PrintedPdf; blob: Blob; duplex: boolean }) {
  const framesAllowed = useMemo(pdfFramesAllowed, []);
  const url = useBlobUrl(framesAllowed ? blob : null);
  const frame = useRef<HTMLIFrameElement>(null);

  return (
    <section className="printed" aria-label="Готовый документ">
      <div className="printed-facts">
        <h2>{printed.title}</h2>
        <dl className="facts">
          <dt>Страниц</dt>
          <dd data-testid="printed-pages">{printed.pages}</dd>
          <dt>Листов</dt>
          <dd data-testid="printed-sheets">
            {printed.sheets} {plural(printed.sheets, 'лист', 'листа', 'листов')} ({duplex ? 'печать с двух сторон' : 'печать с одной стороны'})
          </dd>
          <dt>Файл</dt>
          <dd>
            {printed.fileName} <span className="muted">({formatBytes(blob.size)})</span>
          </dd>
          <dt>SHA-256</dt>
          <dd className="mono sha" data-testid="printed-sha256">
            {printed.sha256}
          </dd>
        </dl>
        <p className="muted small">
          Печать записана в журнал печати. Контрольная сумма SHA-256 позволит сверить перепечатку с подшитым экземпляром.
        </p>
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={() => saveBlob(blob, printed.fileName)}>
            Сохранить PDF
          </button>
          {url && (
            // The frame's own print: the PDF viewer sends it to the system print dialog.
            // In Electron the shell is to offer webContents.print() for the same button.
            <button type="button" className="button" onClick={() => frame.current?.contentWindow?.print()}>
              Печать…
            </button>
          )}
          {!url && canOpenInTab && (
            <button type="button" className="button" onClick={() => openInTab(blob)}>
              Просмотр и печать
            </button>
          )}
        </div>
      </div>
      {url ? (
        <iframe ref={frame} className="pdf-frame" title={`Предпросмотр: ${printed.title}`} src={url} />
      ) : (
        <div className="pdf-placeholder">
          <p>
            Предпросмотр внутри окна пока недоступен.{' '}
            {canOpenInTab
              ? 'Нажмите «Просмотр и печать»: документ откроется в новой вкладке, оттуда его можно распечатать.'
              : 'Сохраните PDF и откройте файл для просмотра и печати.'}
          </p>
        </div>
      )}
    </section>
  );
}
