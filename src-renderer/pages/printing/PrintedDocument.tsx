import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { asApiError } from '../../api/client';
import { ErrorMessage, plural } from '../../ui/common';
import { saveBlob } from '../../lib/files';
import { canOpenInTab, formatBytes, openInTab, pdfFramesAllowed } from './pdf-file';
import { offerToMenuPrint, printInShell, shellPrints } from './shell-printing';
import './printing.css';

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
 * A printed PDF on screen: what it is (the facts, as children), «Сохранить PDF», the way to
 * print it here and, unless compact, the preview.
 * - In the Electron app, «Просмотр и печать…» opens the PDF in the shell's viewer window; its
 *   printer button opens the system print dialog (the app window has no PDF viewer of its own,
 *   so there is no preview frame here). The menu's «Печать…» does the same.
 * - In a browser (the loopback bridge) the preview is a frame on a blob: URL and «Печать…»
 *   prints that frame through the browser's own PDF viewer and print dialog; where the page's
 *   security policy refuses such frames (or the view is compact), the PDF opens in a new tab to
 *   print from there.
 */
export function PdfResult({ title, fileName, blob, compact = false, children }: { title: string; fileName: string; blob: Blob; compact?: boolean; children: ReactNode }) {
  const framesAllowed = useMemo(() => !compact && !shellPrints && pdfFramesAllowed(), [compact]);
  const url = useBlobUrl(framesAllowed ? blob : null);
  const frame = useRef<HTMLIFrameElement>(null);
  const [printError, setPrintError] = useState<string | null>(null);

  const printInWindow = useCallback(() => {
    setPrintError(null);
    printInShell(blob, title).catch((error: unknown) => setPrintError(asApiError(error).message));
  }, [blob, title]);
  useEffect(() => (shellPrints ? offerToMenuPrint(printInWindow) : undefined), [printInWindow]);

  const facts = (
    <div className="printed-facts">
      <h2>{title}</h2>
      {children}
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={() => saveBlob(blob, fileName)}>
          Сохранить PDF
        </button>
        {shellPrints && (
          <button type="button" className="button" onClick={printInWindow}>
            Просмотр и печать…
          </button>
        )}
        {url && (
          // The frame's own print: the browser's PDF viewer and its print dialog.
          <button type="button" className="button" onClick={() => frame.current?.contentWindow?.print()}>
            Печать…
          </button>
        )}
        {!shellPrints && !url && canOpenInTab && (
          <button type="button" className="button" onClick={() => openInTab(blob)}>
            Просмотр и печать
          </button>
        )}
      </div>
      <ErrorMessage error={printError} />
    </div>
  );
  if (compact) {
    return (
      <section aria-label="Готовый документ">
        {facts}
      </section>
    );
  }
  return (
    <section className="printed" aria-label="Готовый документ">
      {facts}
      {url ? (
        <iframe ref={frame} className="pdf-frame" title={`Предпросмотр: ${title}`} src={url} />
      ) : (
        <div className="pdf-placeholder">
          <p>
            {shellPrints
              ? 'Нажмите «Просмотр и печать…»: документ откроется в отдельном окне; значок принтера в нём открывает окно печати, где выбирают принтер и печать с двух сторон.'
              : canOpenInTab
                ? 'Нажмите «Просмотр и печать»: документ откроется в новой вкладке, оттуда его можно распечатать.'
                : 'Сохраните PDF и откройте файл для просмотра и печати.'}
          </p>
        </div>
      )}
    </section>
  );
}

/** One printed journal or report: its facts as recorded in the print log, and the PDF. */
export function PrintedDocument({ printed, blob, duplex }: { printed: PrintedPdf; blob: Blob; duplex: boolean }) {
  return (
    <PdfResult title={printed.title} fileName={printed.fileName} blob={blob}>
      {printed.preliminary ? (
        <p className="warning" role="status" data-testid="printed-version">
          Предварительная версия — не для архива: {printed.missing.join('; ')}.
        </p>
      ) : (
        <p role="status" data-testid="printed-version">
          Окончательная версия для архива.
        </p>
      )}
      <dl className="facts">
        <dt>Номер в журнале печати</dt>
        <dd>{printed.logId}</dd>
        <dt>Контрольная сумма страниц</dt>
        <dd className="mono">{printed.fingerprint}</dd>
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
    </PdfResult>
  );
}
