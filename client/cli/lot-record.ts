import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { REVIEW_CATEGORIES } from '../../domain/lot-review';
import type { ServedLotRecord } from '../lot-record/types';
import { pollUntil } from '../wait';
import { print, withOperations } from './context';
import type { CliOperations } from './operations';

/** How long `lot record` waits for a lot still writing the results it just received. */
const SETTLE_TIMEOUT_MS = 60_000;

const qty = (q: { value: string; uom: string } | null | undefined) => (q ? `${q.value} ${q.uom}` : '—');
const docs = (d: Record<string, string>) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The record as a reviewer reads it in a terminal: the exceptions first, then each section. */
export function describeRecord({ hash, record: r }: ServedLotRecord): string {
  const lines = [
    `Lot record ${r.lot.key} at ${r.lot.site}: ${r.lot.status} (${r.lot.disposition}), ${qty(r.lot.quantity)} ${r.lot.origin}`,
    `  record sha256 ${hash}`,
    `  exceptions to review (${r.review.exceptions.length}):`,
    ...(r.review.exceptions.length
      ? r.review.exceptions.map((e) => `    [${REVIEW_CATEGORIES[e.category]}] ${e.exceptionId}: ${e.summary}`)
      : ['    none']),
    `  reviewed by the system: ${r.review.reviewedBySystem.join(', ')}`,
    '  orders:',
    ...r.orders.map(
      (o) =>
        `    ${o.orderRef} (${o.status}) released by ${o.releasedBy ?? '—'} at ${o.releasedAt ?? '—'}; Odoo ${o.erp.odooMo ?? '—'}, SAP ${o.erp.sapOrder ?? '—'}`,
    ),
    `  MES events (${r.mesEvents.length}):`,
    ...r.mesEvents.map(
      (e) => `    ${e.effectiveAt} (recorded ${e.recordedAt}) ${e.type}: ${e.summary} [${e.outcome ?? ''}]`,
    ),
    `  postings (${r.postings.length}):`,
    ...r.postings.map((p) => `    ${p.at} ${p.system} ${p.summary} [${p.outcome}] ${docs(p.documents)}`),
    '  inspections:',
    ...r.inspections.map(
      (i) =>
        `    ${i.characteristic} ${i.result}${i.value ? ` ${i.value}${i.unit ? ` ${i.unit}` : ''}` : ''} spec ${i.specification ? `${i.specification.lowerLimit ?? '−∞'}…${i.specification.upperLimit ?? '∞'}` : '—'} ${i.withinSpecification ? 'within' : 'OUT OF'} specification (${i.inspector})`,
    ),
    '  holds:',
    ...r.holds.map(
      (h) =>
        `    ${h.holdId} by ${h.placedBy}: ${h.reason}${h.lifted ? `; lifted by ${h.lifted.by}: ${h.lifted.reason}` : ' (active)'}`,
    ),
    '  NCRs:',
    ...r.ncrs.map(
      (n) =>
        `    ${n.ncrId} ${n.status}: ${n.dispositions.map((d) => `${d.decision} ${qty(d.quantity)} (${d.status})`).join(', ') || 'no disposition of this lot'}`,
    ),
    '  signatures:',
    ...r.signatures.map(
      (s) =>
        `    ${s.context}: ${s.meaningText} — ${s.printedName} (${s.userId}) — ${s.signedAt}${s.reason ? ` — ${s.reason}` : ''}`,
    ),
    ...(r.parked.length
      ? [
          '  parked steps:',
          ...r.parked.map(
            (p) =>
              `    ${p.source} ${p.step}: ${p.reason}${p.decision ? ` → ${p.decision.action} by ${p.decision.by}` : ' (open)'}`,
          ),
        ]
      : []),
    `  genealogy: made from ${r.genealogy.backward.lots.join(', ') || 'nothing known'}; used in ${r.genealogy.forward.lots.join(', ') || 'nothing yet'}`,
  ];
  return lines.join('\n');
}

export function lotRecordCommand(lot: Command): void {
  lot
    .command('record <material> <lotId>')
    .description(
      "The lot's record, reviewed by exception: what a QP must look at before signing the release, and its hash",
    )
    .option('--json', 'print JSON')
    .option('--hash', 'print only the record hash (what a release signs: lot disposition --review-hash)')
    .option('--pdf <file>', 'write the record as a PDF to this file')
    .action(async (material: string, lotId: string, opts: { json?: boolean; hash?: boolean; pdf?: string }) => {
      // The record shows what the lot wrote to the QMS and Odoo: read it once the results it received are written.
      const settled = (ops: CliOperations) =>
        pollUntil(
          () => ops.lots.status(material, lotId),
          (s) => s.inspectionTasks === 0,
          {
            timeoutMs: SETTLE_TIMEOUT_MS,
            timedOut: (s) =>
              `lot ${lotId} is still writing ${s?.inspectionTasks ?? '?'} inspection result(s); try again`,
          },
        );
      if (opts.pdf) {
        const pdf = await withOperations(async (ops) => {
          await settled(ops);
          return ops.lots.recordPdf(material, lotId);
        });
        writeFileSync(opts.pdf, pdf);
        process.stdout.write(`${opts.pdf}: ${pdf.length} bytes\n`);
        return;
      }
      const served = await withOperations(async (ops) => {
        await settled(ops);
        return ops.lots.record(material, lotId);
      });
      if (opts.hash) process.stdout.write(`${served.hash}\n`);
      else print(served, Boolean(opts.json), () => describeRecord(served));
    });
}
