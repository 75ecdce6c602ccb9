import type { ReactNode } from 'react';

/**
 * A file field in Russian whatever the PC's language: the browser's own file input says
 * «Choose File / No file chosen» on an English Windows, so it is hidden behind a button
 * and the chosen file's name is shown beside it.
 */
export function FileChoice({ label, accept, fileName, onFile, children }: { label: string; accept: string; fileName: string | null; onFile(file: File | undefined): void; children?: ReactNode }) {
  return (
    <div className="file-choice">
      <span className="field-label">{label}</span>
      <span className="file-choice-line">
        <label className="button">
          Выбрать файл…
          <input
            type="file"
            className="visually-hidden"
            aria-label={label}
            accept={accept}
            onChange={(event) => {
              const file = event.target.files?.[0];
              // The same file chosen again (after fixing it) is read again.
              event.target.value = '';
              onFile(file);
            }}
          />
        </label>
        <span className={fileName ? undefined : 'muted'}>{fileName ?? 'файл не выбран'}</span>
      </span>
      {children}
    </div>
  );
}
