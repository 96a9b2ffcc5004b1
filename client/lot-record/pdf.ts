import PDFDocument from 'pdfkit';
import { REVIEW_CATEGORIES } from '../../domain/lot-review';
import { genealogyGraph, layoutGenealogy, statusStyle, type GenealogyLayout } from '../genealogy-graph';
import type { ServedLotRecord } from './types';

type Doc = PDFKit.PDFDocument;

const MARGIN = 48;
const FOOTER = 28;
const GREY = '#555555';
const qty = (q: { value: string; uom: string } | null | undefined) => (q ? `${q.value} ${q.uom}` : '-');
const docs = (d: Record<string, string>) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/**
 * The lot record as a PDF a reviewer files: the lot, its order and its genealogy first, then what to review
 * and every section of the record. Every page carries the record hash and "page n of N".
 */
export function lotRecordPdf(served: ServedLotRecord): Promise<Buffer> {
  const { record: r, hash } = served;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
    bufferPages: true,
    info: { Title: `Lot record ${r.lot.key}`, Subject: `record sha256 ${hash}`, Creator: 'plantflow' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(18).text(`Lot record ${r.lot.lotId}`);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(GREY)
    .text(`Material ${r.lot.material} at site ${r.lot.site}, served ${served.generatedAt}`);
  doc.fillColor('black').moveDown(0.6);
  facts(doc, [
    ['Status', `${r.lot.status} (ISA-95 ${r.lot.disposition})`],
    ['Quantity', `${qty(r.lot.quantity)}, ${r.lot.origin}`],
    ['Release deadline', `${r.lot.releaseDeadline}${r.lot.overdue ? ' OVERDUE' : ''}`],
    ...(r.lot.received
      ? [
          [
            'Received',
            `by ${r.lot.received.receivedBy} at ${r.lot.received.receivedAt}${r.lot.received.reference ? ` (${r.lot.received.reference})` : ''}`,
          ] as [string, string],
        ]
      : []),
  ]);

  heading(doc, 'Production order');
  if (r.orders.length === 0) line(doc, 'Not made by a plantflow order.');
  for (const o of r.orders) {
    facts(doc, [
      ['Order', `${o.orderRef} (${o.status}), ${o.material ?? ''} ${qty(o.quantity)}`],
      ['Released', `by ${o.releasedBy ?? 'unknown'} at ${o.releasedAt ?? '-'}`],
      [
        'ERP documents',
        `Odoo MO ${o.erp.odooMo ?? '-'}, SAP order ${o.erp.sapOrder ?? '-'} (owner ${o.erp.owner ?? '-'})`,
      ],
      ...o.releaseDocuments.map((p): [string, string] => [
        p.system === 'sap' ? 'SAP release' : 'Odoo confirm',
        docs(p.documents),
      ]),
      ...(o.completion
        ? [['Completion', `${o.completion.mode} by ${o.completion.by} at ${o.completion.at}`] as [string, string]]
        : []),
    ]);
  }

  heading(doc, 'Genealogy');
  drawGenealogy(doc, layoutGenealogy(genealogyGraph(r.genealogy)));

  heading(doc, `Review by exception: ${r.review.exceptions.length} to review`);
  if (r.review.exceptions.length === 0) line(doc, 'Nothing to review: every section was checked by the system.');
  for (const e of r.review.exceptions) line(doc, `[${REVIEW_CATEGORIES[e.category]}] ${e.summary}  (${e.exceptionId})`);
  doc
    .fillColor(GREY)
    .fontSize(9)
    .text(`Reviewed by the system: ${r.review.reviewedBySystem.join(', ')}.`)
    .fillColor('black');

  heading(doc, `MES events (${r.mesEvents.length})`);
  for (const e of r.mesEvents)
    line(doc, `${e.effectiveAt}  ${e.type}: ${e.summary}  [${e.outcome ?? '-'}; recorded ${e.recordedAt}]`);
  heading(doc, `Postings and ERP documents (${r.postings.length})`);
  for (const p of r.postings)
    line(
      doc,
      `${p.at}  ${p.system.toUpperCase()}  ${p.summary}  [${p.outcome}]  ${docs(p.documents)}${p.failure ? `  failure: ${p.failure}` : ''}`,
    );
  heading(doc, 'Inspections against specification');
  for (const i of r.inspections) {
    const spec = i.specification
      ? `${i.specification.lowerLimit ?? 'no lower limit'} to ${i.specification.upperLimit ?? 'no upper limit'} ${i.specification.unit ?? ''}`
      : 'no specification';
    line(
      doc,
      `${i.characteristic}${i.required ? ' (required)' : ''}: ${i.result}${i.value ? ` ${i.value} ${i.unit ?? ''}` : ''}; spec ${spec}; ${i.withinSpecification ? 'within' : 'OUT OF'} specification; ${i.inspector}, effective ${i.effectiveAt}, received ${i.receivedAt}${i.superseded ? '; superseded' : ''}`,
    );
  }
  for (const x of r.refusedResults) line(doc, `Refused result ${x.eventId} (${x.characteristic}): ${x.reason}`);
  heading(doc, 'Holds');
  if (r.holds.length === 0) line(doc, 'None.');
  for (const h of r.holds)
    line(
      doc,
      `${h.holdId} placed by ${h.placedBy} at ${h.placedAt}: ${h.reason}; ${h.lifted ? `lifted by ${h.lifted.by} at ${h.lifted.at}: ${h.lifted.reason}` : 'ACTIVE'}`,
    );
  heading(doc, 'Nonconformances');
  if (r.ncrs.length === 0) line(doc, 'None.');
  for (const n of r.ncrs) {
    line(doc, `${n.ncrId} (${n.severity ?? '-'}, ${n.status}, ${n.origin}): ${n.description ?? ''}`);
    for (const d of n.dispositions)
      line(doc, `   ${d.lineId}: ${d.decision} ${qty(d.quantity)} (${d.status}): ${d.reason ?? ''}`);
    if (n.rootCause)
      line(doc, `   root cause (${n.rootCause.category}) by ${n.rootCause.by}: ${n.rootCause.description}`);
  }
  heading(doc, 'Signatures');
  if (r.signatures.length === 0) line(doc, 'None.');
  for (const s of r.signatures)
    line(
      doc,
      `${s.context}: ${s.meaningText} - ${s.printedName} (${s.userId}) - ${s.signedAt}${s.reason ? ` - reason: ${s.reason}` : ''} - record sha256 ${s.recordHash}`,
    );
  heading(doc, 'Parked steps and decisions');
  if (r.parked.length === 0) line(doc, 'None.');
  for (const p of r.parked)
    line(
      doc,
      `${p.source} ${p.step} parked ${p.parkedAt}: ${p.reason}; ${p.decision ? `${p.decision.action} by ${p.decision.by} at ${p.decision.at}: ${p.decision.reason}` : 'OPEN'}`,
    );
  heading(doc, 'Business exceptions and drift');
  if (r.exceptions.length + r.drift.length === 0) line(doc, 'None.');
  for (const x of [...r.exceptions, ...r.drift])
    line(doc, `${x.kind} ${x.exceptionId} (${x.status}, seen ${x.occurrences}x): ${x.summary}`);

  stampPages(doc, `Lot record ${r.lot.key}`, `record sha256 ${hash}`);
  doc.end();
  return done;
}

function heading(doc: Doc, text: string): void {
  doc
    .moveDown(0.8)
    .font('Helvetica-Bold')
    .fontSize(12)
    .fillColor('black')
    .text(text, MARGIN)
    .moveDown(0.2)
    .font('Helvetica')
    .fontSize(9);
}

function line(doc: Doc, text: string): void {
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('black')
    .text(text, MARGIN, undefined, { width: doc.page.width - 2 * MARGIN });
}

function facts(doc: Doc, rows: Array<[string, string]>): void {
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(9.5).text(label, MARGIN, y, { width: 110 });
    doc.font('Helvetica').text(value, MARGIN + 115, y, { width: doc.page.width - 2 * MARGIN - 115 });
    doc.x = MARGIN;
  }
}

/** The genealogy picture from the same layout as the SVG, scaled to the page width. */
function drawGenealogy(doc: Doc, layout: GenealogyLayout): void {
  const width = doc.page.width - 2 * MARGIN;
  const scale = Math.min(1, width / Math.max(layout.width, 1), 260 / Math.max(layout.height, 1));
  if (doc.y + layout.height * scale > doc.page.height - MARGIN - FOOTER) doc.addPage();
  const [ox, oy] = [MARGIN + (width - layout.width * scale) / 2, doc.y];
  const at = (x: number, y: number): [number, number] => [ox + x * scale, oy + y * scale];
  for (const link of layout.links) {
    const pts = link.points.map((p) => at(p.x, p.y));
    if (pts.length < 2) continue;
    doc.moveTo(...pts[0]!);
    for (const p of pts.slice(1)) doc.lineTo(...p);
    doc.lineWidth(1).strokeColor(GREY).stroke();
    const [tip, from] = [pts[pts.length - 1]!, pts[pts.length - 2]!];
    const angle = Math.atan2(tip[1] - from[1], tip[0] - from[0]);
    const wing = (a: number): [number, number] => [tip[0] - 6 * Math.cos(angle + a), tip[1] - 6 * Math.sin(angle + a)];
    doc.polygon(tip, wing(0.45), wing(-0.45)).fillColor(GREY).fill();
    const mid = pts[Math.floor(pts.length / 2)]!;
    if (link.quantity)
      doc
        .fillColor('black')
        .fontSize(7)
        .text(`${link.quantity.value} ${link.quantity.uom}`, mid[0] - 30, mid[1] - 10, { width: 60, align: 'center' });
  }
  for (const lot of layout.lots) {
    const style = statusStyle(lot.status, lot.tracked);
    const [x, y] = at(lot.x - lot.width / 2, lot.y - lot.height / 2);
    const [w, h] = [lot.width * scale, lot.height * scale];
    doc
      .roundedRect(x, y, w, h, 5)
      .lineWidth(lot.focus ? 2.5 : 1)
      .fillAndStroke(style.fill, style.stroke);
    doc
      .fillColor('black')
      .font('Helvetica-Bold')
      .fontSize(9 * Math.max(scale, 0.7))
      .text(lot.lotId, x, y + h * 0.12, { width: w, align: 'center', lineBreak: false });
    doc
      .font('Helvetica')
      .fontSize(7.5 * Math.max(scale, 0.7))
      .text(lot.material, x, y + h * 0.42, { width: w, align: 'center', lineBreak: false });
    doc.fillColor(style.stroke).text(style.label, x, y + h * 0.68, { width: w, align: 'center', lineBreak: false });
  }
  doc.fillColor('black').font('Helvetica');
  doc.x = MARGIN;
  doc.y = oy + layout.height * scale + 6;
}

/** The lot on top, the record hash and "page n of N" at the foot of every page, written once the pages are known. */
function stampPages(doc: Doc, title: string, hashLine: string): void {
  const range = doc.bufferedPageRange();
  const width = doc.page.width - 2 * MARGIN;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    const top = doc.page.margins.top;
    doc.page.margins.bottom = 0;
    doc.page.margins.top = 0;
    doc.font('Helvetica').fontSize(7.5).fillColor(GREY);
    doc.text(title, MARGIN, MARGIN / 2, { width, align: 'right', lineBreak: false });
    const y = doc.page.height - MARGIN - 4;
    doc
      .moveTo(MARGIN, y - 4)
      .lineTo(doc.page.width - MARGIN, y - 4)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    doc.text(hashLine, MARGIN, y, { width: width - 70, lineBreak: false });
    doc.text(`page ${i - range.start + 1} of ${range.count}`, doc.page.width - MARGIN - 70, y, {
      width: 70,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
    doc.page.margins.top = top;
  }
}
