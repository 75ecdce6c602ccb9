// Text a spreadsheet could take for a formula (OWASP «CSV injection»): a cell that starts with
// = + - @, a tab or a carriage return gets a leading single quote, so Excel and LibreOffice
// show it as text. Only exported files are escaped; the stored text stays as it was typed.

const formulaStart = /^[=+\-@\t\r]/;
/** A plain number such as «-5» or «-4,5»: harmless, and a number column must stay numbers. */
const plainNegativeNumber = /^-\d+(?:[.,]\d+)?$/;

export function escapeSpreadsheetText(text: string): string {
  return formulaStart.test(text) && !plainNegativeNumber.test(text) ? `'${text}` : text;
}

/** The import's inverse: a quote the export added before a formula character is taken off again. */
export function unescapeSpreadsheetText(text: string): string {
  return text.length > 1 && text[0] === "'" && formulaStart.test(text.slice(1)) ? text.slice(1) : text;
}
