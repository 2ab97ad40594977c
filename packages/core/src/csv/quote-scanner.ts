/**
 * Line breaks and quoting of CSV text, following papaparse's rules, for the parts of a file the
 * reader does not hand to papaparse: rows too long to keep, and lone CR line breaks.
 */

/** Text holding a line break character. */
export const LINE_BREAK_CHAR = /[\r\n]/;
const LINE_BREAK = /\r\n?|\n/g;
const LONE_CR = /\r(?!\n)/;
/** The line break ending a text. */
export const FINAL_BREAK = /(?:\r\n?|\n)$/;

/** Line breaks in a cell's text: CRLF, LF or a lone CR, each one physical line. */
export function countBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/**
 * Whether the text holds a CR that is not half of a CRLF (one at the very end may be, unless the
 * file ends there).
 */
export function hasLoneCr(text: string, final: boolean): boolean {
  const at = text.search(LONE_CR);
  return at >= 0 && (final || at < text.length - 1);
}

/**
 * Rewrites each lone CR that ends a record (old Mac line breaks, or a file whose line endings
 * change partway) as LF, which the parser splits on; a CR inside a quoted cell is cell text and
 * stays. CRLF needs nothing: papaparse allows the CR as trailing space after a closing quote, and
 * an unquoted cell's trailing CR is trimmed like any space.
 * @param text - Text starting at the start of a record.
 * @param delimiter - The delimiter.
 * @param final - The text ends the file (a CR at its very end is then lone).
 * @returns The text with those CRs replaced.
 */
export function loneCrAsLf(text: string, delimiter: string, final: boolean): string {
  const scanner = new QuoteScanner(delimiter);
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const lone = i + 1 < text.length ? text[i + 1] !== '\n' : final;
    if (c === '\r' && lone && !scanner.inQuotes) {
      out += `${text.slice(from, i)}\n`;
      from = i + 1;
      scanner.scan('\n');
    } else scanner.scan(c);
  }
  return out + text.slice(from);
}

/**
 * Follows papaparse's quoting rules character by character without keeping the text: a quote opens
 * a quoted cell only at the start of a cell; inside one, `""` is a quote, and a quote followed by
 * optional whitespace and then a delimiter, a line break or the end of the text closes it (any
 * other quote is malformed and the cell goes on). A line break outside a quoted cell (LF, CRLF or a
 * lone CR) ends the record.
 */
export class QuoteScanner {
  /** Line breaks passed inside the record so far. */
  breaks = 0;
  /** The last character taken was a line break inside a quoted cell. */
  afterBreak = false;
  private state: 'start' | 'plain' | 'quoted' | 'quote' | 'quoteSpace' = 'start';
  /** Inside a quoted cell, the last character was a CR (the LF of a CRLF is not counted again). */
  private afterCr = false;
  /** Outside a quoted cell, a CR that ends the record, with the LF that may follow it. */
  private endingCr = false;

  /** @param delimiter - The file's delimiter (one character). */
  constructor(private readonly delimiter: string) {}

  /** `true` while inside a quoted cell (an unclosed quote when the text ends here). */
  get inQuotes(): boolean {
    return this.state === 'quoted';
  }

  /**
   * Scans more of the record.
   * @param text - The next text.
   * @returns The index just after the line break that ends the record, or -1 when it goes on (a CR
   * at the very end of the text may end it: the next text says whether an LF belongs to it).
   */
  scan(text: string): number {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.endingCr) {
        this.endingCr = false;
        this.state = 'start';
        return c === '\n' ? i + 1 : i;
      }
      if (this.state === 'quoted') {
        if (c === '"') this.state = 'quote';
        else if (c === '\r' || (c === '\n' && !this.afterCr)) this.breaks++;
        this.afterCr = c === '\r';
        this.afterBreak = c === '\r' || c === '\n';
      } else if (c === '\n') {
        this.state = 'start';
        return i + 1;
      } else if (c === '\r') this.endingCr = true;
      else if (this.state === 'quote' || this.state === 'quoteSpace') {
        if (c === this.delimiter) this.state = 'start';
        else if (c === '"') this.state = this.state === 'quote' ? 'quoted' : 'quote';
        else if (c.trim() === '') this.state = 'quoteSpace';
        else this.state = 'quoted';
      } else {
        this.state =
          c === this.delimiter ? 'start' : c === '"' && this.state === 'start' ? 'quoted' : 'plain';
      }
    }
    return -1;
  }
}
