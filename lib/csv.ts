/**
 * CSV (RFC 4180) for exports opened in spreadsheets: fields quoted when needed, quotes doubled, and cells
 * that a spreadsheet would run as a formula (= + - @, tab, carriage return first) prefixed with a quote.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text =
    typeof value === "string" ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: unknown[]): string => `${cells.map(csvCell).join(",")}\r\n`;
