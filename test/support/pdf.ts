import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PDF as a reader sees it, through Debian's poppler-utils (installed by .ci/run): the text of each page
 * (pdftotext) and a page rendered to pixels (pdftoppm), so a test asserts on what is printed and drawn.
 */
export class RenderedPdf {
  readonly file: string;

  constructor(pdf: Buffer) {
    this.file = join(mkdtempSync(join(tmpdir(), 'pf-pdf-')), 'record.pdf');
    writeFileSync(this.file, pdf);
  }

  get pages(): number {
    const info = execFileSync('pdfinfo', [this.file]).toString();
    const pages = /^Pages:\s+(\d+)/m.exec(info);
    assert.ok(pages, info);
    return Number(pages[1]);
  }

  /** The text of one page (1-based), in reading order. */
  text(page: number): string {
    return execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), this.file, '-']).toString();
  }

  /** One page rendered to PNG at this resolution (what docs/ keeps as a sample). */
  png(page: number, dpi: number): Buffer {
    return this.render(page, dpi, 'png');
  }

  /** One page rendered to RGB pixels (pdftoppm's binary PPM): how many pixels have exactly this colour. */
  pixelsOf(page: number, dpi: number, rgb: [number, number, number]): number {
    const ppm = this.render(page, dpi, 'ppm');
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'));
    assert.ok(header, 'a binary PPM');
    let count = 0;
    for (let i = header[0].length; i + 2 < ppm.length; i += 3)
      if (ppm[i] === rgb[0] && ppm[i + 1] === rgb[1] && ppm[i + 2] === rgb[2]) count += 1;
    return count;
  }

  private render(page: number, dpi: number, format: 'png' | 'ppm'): Buffer {
    const base = join(mkdtempSync(join(tmpdir(), 'pf-page-')), 'page');
    const args = ['-singlefile', '-r', String(dpi), '-f', String(page), '-l', String(page), this.file, base];
    execFileSync('pdftoppm', format === 'png' ? ['-png', ...args] : args);
    return readFileSync(`${base}.${format}`);
  }
}
