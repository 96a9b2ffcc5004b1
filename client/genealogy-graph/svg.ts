import type { GenealogyLayout } from './layout';
import { statusStyle } from './style';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (v: number) => Math.round(v * 10) / 10;

/**
 * The genealogy as a self-contained SVG (no scripts, no external fonts or styles), each lot a box coloured
 * by its status, the focus lot outlined, each link an arrow from what was consumed to what was made.
 */
export function genealogySvg(layout: GenealogyLayout, title = 'Lot genealogy'): string {
  const width = Math.max(layout.width, 160);
  const height = Math.max(layout.height, 60);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="Helvetica, Arial, sans-serif" role="img">`,
    `<title>${escape(title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
  ];
  for (const link of layout.links) {
    const d = link.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)},${n(p.y)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>`);
    const mid = link.points[Math.floor(link.points.length / 2)];
    if (link.quantity && mid)
      parts.push(
        `<text x="${n(mid.x)}" y="${n(mid.y - 4)}" font-size="9" text-anchor="middle" fill="#333">${escape(`${link.quantity.value} ${link.quantity.uom}`)}</text>`,
      );
  }
  for (const lot of layout.lots) {
    const style = statusStyle(lot.status, lot.tracked);
    const [x, y] = [n(lot.x - lot.width / 2), n(lot.y - lot.height / 2)];
    parts.push(
      `<g><title>${escape(`${lot.key}: ${style.label}`)}</title>`,
      `<rect x="${x}" y="${y}" width="${lot.width}" height="${lot.height}" rx="6" fill="${style.fill}" stroke="${style.stroke}" stroke-width="${lot.focus ? 3 : 1.2}"${lot.tracked ? '' : ' stroke-dasharray="4 3"'}/>`,
      `<text x="${n(lot.x)}" y="${n(lot.y - 6)}" font-size="11" font-weight="bold" text-anchor="middle">${escape(lot.lotId)}</text>`,
      `<text x="${n(lot.x)}" y="${n(lot.y + 7)}" font-size="9" text-anchor="middle">${escape(lot.material)}</text>`,
      `<text x="${n(lot.x)}" y="${n(lot.y + 18)}" font-size="9" text-anchor="middle" fill="${style.stroke}">${escape(style.label)}</text>`,
      '</g>',
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
