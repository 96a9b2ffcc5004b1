import type { Command } from 'commander';
import type { NcrDecision } from '../../domain/ncr';
import { qty } from '../../domain/quantity';
import type { NcrView } from '../../workflows/nonconformance/state';
import type { NcrStatusReport } from '../ncrs';
import type { ReauthProof } from '../api/signing/reauth';
import { waitForStatus } from '../wait';
import { print, readStdin, WAIT_TIMEOUT_MS, withOperations } from './context';

interface SignOptions {
  user: string;
  passwordStdin?: boolean;
}

/** Signing from the command line re-authenticates like the API: the signer's password again, from stdin. */
async function signer(opts: SignOptions): Promise<ReauthProof> {
  if (!opts.passwordStdin) throw new Error('signing needs the password again: pipe it in with --password-stdin');
  return { userId: opts.user, password: await readStdin() };
}

/** `<lotId>:<quantity>[:<uom>]`, repeatable. */
function parseLot(value: string, previous: Array<{ lotId: string; quantity: { value: string; uom: string } }> = []) {
  const [lotId, amount, uom] = value.split(':');
  if (!lotId || !amount) throw new Error(`--lot expects <lotId>:<quantity>[:<uom>], got ${value}`);
  return [...previous, { lotId, quantity: { value: amount, uom: uom ?? 'EA' } }];
}

export function describeNcr(v: NcrView | NcrStatusReport): string {
  const lines = [
    `NCR ${v.ncrId} — ${v.status}${v.overdue ? ' (OVERDUE)' : ''}${v.needsAttention ? ' (NEEDS ATTENTION)' : ''}`,
    `  ${v.severity} ${v.source}, raised by ${v.raisedBy} on ${v.openedAt}: ${v.description}`,
    `  ${qty.format(v.quantity)} of ${v.material} in ${v.lots.map((l) => `${l.lotId} (${qty.format(l.quantity)})`).join(', ')}${v.orderRef ? `, order ${v.orderRef}` : ''}`,
    `  records: QMS ${v.records.qms?.ncrId ?? '-'} · Odoo alert ${v.records.odooQualityAlert?.name ?? '-'} · SAP notification ${v.records.sapQualityNotification ?? '-'}`,
    `  containment (${v.containment.runs} run(s)):`,
    ...v.containment.lots.map(
      (l) =>
        `    ${l.role.padEnd(10)} ${l.lotId.padEnd(12)} ${l.custody}${l.released ? ` — given back: ${l.released.summary}` : ''}`,
    ),
    `  dispositions: ${qty.format(v.dispositions.dispositioned)} signed, ${qty.format(v.dispositions.awaitingCoSignature)} awaiting co-signature, ${qty.format(v.dispositions.remaining)} open`,
    ...v.dispositions.lines.map((l) => {
      const sigs = l.signatures
        .map((s) => `${s.printedName} (${s.userId}) "${s.meaningText}" ${s.signedAt}: ${s.reason ?? ''}`)
        .join(' + ');
      return `    ${l.record.lineId.padEnd(4)} ${l.record.decision.padEnd(16)} ${qty.format(l.record.quantity).padEnd(8)} ${l.record.lotId} — ${l.status}; ${sigs}${l.rework ? `; rework order ${l.rework.orderRef}` : ''}`;
    }),
    `  root cause: ${v.rootCause ? `${v.rootCause.category}: ${v.rootCause.description}` : '-'}`,
    ...(v.capa ? [`  CAPA ${v.capa.capaId} (${v.capa.trigger}, ${v.capa.outcome})`] : []),
    ...(v.closure
      ? [
          `  closed: ${v.closure.signature.printedName} (${v.closure.signature.userId}) "${v.closure.signature.meaningText}" ${v.closure.signature.signedAt}: ${v.closure.reason}`,
        ]
      : []),
    ...v.parked.map((p) => `  PARKED ${p.step}: ${p.failure.message}`),
  ];
  return lines.join('\n');
}

export function ncrCommand(program: Command): void {
  const ncr = program.command('ncr').description('Nonconformances: open, show, decide (signed), close');

  ncr
    .command('open')
    .description('Open a nonconformance (records it, contains the lots and their descendants)')
    .requiredOption('--material <code>', 'material of the nonconforming lots')
    .requiredOption('--lot <lotId:qty[:uom]>', 'a nonconforming lot and its quantity (repeatable)', parseLot)
    .requiredOption('--description <text>', 'what is wrong')
    .requiredOption('--raised-by <userId>', 'who found it')
    .option('--severity <minor|major|critical>', 'severity', 'minor')
    .option('--source <inspection|mes_deviation|supplier|person>', 'where it was found', 'person')
    .option('--site <site>', 'plant (default: the first configured site)')
    .option('--ncr-id <id>', 'NCR id (default: generated)')
    .option('--order-ref <ref>', 'producing order')
    .option('--json', 'print JSON')
    .action(
      async (o: {
        material: string;
        lot: ReturnType<typeof parseLot>;
        description: string;
        raisedBy: string;
        severity: string;
        source: string;
        site?: string;
        ncrId?: string;
        orderRef?: string;
        json?: boolean;
      }) => {
        const opened = await withOperations((ops, config) =>
          ops.ncrs.open({
            ncrId: o.ncrId,
            severity: o.severity as 'minor',
            source: o.source as 'person',
            site: o.site ?? config.sites[0]!,
            material: o.material,
            lots: o.lot,
            description: o.description,
            raisedBy: o.raisedBy,
            orderRef: o.orderRef,
          }),
        );
        print(opened, Boolean(o.json), () => `opened ${opened.ncrId} (${opened.workflowId})`);
      },
    );

  ncr
    .command('show <ncrId>')
    .description('Containment, signed dispositions, execution, escalations of an NCR')
    .option('--json', 'print JSON')
    .option('--wait <status>', 'first wait (up to 3 minutes) until the NCR reaches this status, e.g. contained')
    .action(async (ncrId: string, o: { json?: boolean; wait?: string }) => {
      const view = await withOperations((ops) =>
        o.wait
          ? waitForStatus('ncr', `NCR ${ncrId}`, () => ops.ncrs.status(ncrId), o.wait, {
              timeoutMs: WAIT_TIMEOUT_MS,
              notYet: ops.notFound,
            })
          : ops.ncrs.status(ncrId),
      );
      print(view, Boolean(o.json), () => describeNcr(view));
    });

  ncr
    .command('list')
    .description('NCR runs (Temporal visibility)')
    .option('--material <code>')
    .option('--status <status>')
    .option('--overdue', 'only overdue ones')
    .option('--json', 'print JSON')
    .action(async (o: { material?: string; status?: string; overdue?: boolean; json?: boolean }) => {
      const list = await withOperations((ops) =>
        ops.ncrs.list({ material: o.material, status: o.status, overdue: o.overdue ? true : undefined }),
      );
      print(
        list,
        Boolean(o.json),
        () =>
          list
            .map(
              (n) =>
                `${n.ncrId.padEnd(28)} ${(n.status ?? '?').padEnd(14)} ${(n.material ?? '').padEnd(8)} ${n.lotId ?? ''}${n.overdue ? ' OVERDUE' : ''}`,
            )
            .join('\n') || '(none)',
      );
    });

  ncr
    .command('dispose <ncrId>')
    .description('Decide on a quantity, signed (password from stdin)')
    .requiredOption('--lot <lotId>')
    .requiredOption('--decision <use_as_is|rework|scrap|return_to_vendor|regrade>')
    .requiredOption('--quantity <qty[:uom]>')
    .requiredOption('--reason <text>')
    .requiredOption('--user <userId>', 'the signer')
    .option('--line-id <id>')
    .option('--regrade-to <material>')
    .option('--return-to <supplier>')
    .option('--password-stdin', "read the signer's password from stdin")
    .option('--json', 'print JSON')
    .action(
      async (
        ncrId: string,
        o: SignOptions & {
          lot: string;
          decision: NcrDecision;
          quantity: string;
          reason: string;
          lineId?: string;
          regradeTo?: string;
          returnTo?: string;
          json?: boolean;
        },
      ) => {
        const [value, uom] = o.quantity.split(':');
        const proof = await signer(o);
        const line = await withOperations((ops) =>
          ops.ncrs.dispose(
            ncrId,
            {
              lineId: o.lineId,
              lotId: o.lot,
              decision: o.decision,
              quantity: { value: value!, uom: uom ?? 'EA' },
              reason: o.reason,
              regradeTo: o.regradeTo,
              returnTo: o.returnTo,
            },
            proof,
          ),
        );
        print(
          line,
          Boolean(o.json),
          () => `${line.record.lineId}: ${line.record.decision} ${qty.format(line.record.quantity)} — ${line.status}`,
        );
      },
    );

  ncr
    .command('cosign <ncrId> <lineId>')
    .description("Second signature on a critical NCR's line (password from stdin)")
    .requiredOption('--reason <text>')
    .requiredOption('--user <userId>')
    .option('--password-stdin')
    .option('--json', 'print JSON')
    .action(async (ncrId: string, lineId: string, o: SignOptions & { reason: string; json?: boolean }) => {
      const proof = await signer(o);
      const line = await withOperations((ops) => ops.ncrs.coSign(ncrId, lineId, o.reason, proof));
      print(
        line,
        Boolean(o.json),
        () => `${line.record.lineId}: ${line.status} (${line.signatures.length} signature(s))`,
      );
    });

  ncr
    .command('root-cause <ncrId>')
    .description('Record the root cause')
    .requiredOption('--category <material|method|machine|man|measurement|environment|supplier|design|other>')
    .requiredOption('--description <text>')
    .requiredOption('--by <userId>')
    .action(async (ncrId: string, o: { category: string; description: string; by: string }) => {
      const rc = await withOperations((ops) =>
        ops.ncrs.recordRootCause(ncrId, {
          category: o.category as 'other',
          description: o.description,
          by: o.by,
        }),
      );
      print(rc, false, () => `root cause recorded: ${rc.category}: ${rc.description}`);
    });

  ncr
    .command('close <ncrId>')
    .description('Close the NCR, signed (password from stdin)')
    .requiredOption('--reason <text>')
    .requiredOption('--user <userId>')
    .option('--password-stdin')
    .action(async (ncrId: string, o: SignOptions & { reason: string }) => {
      const proof = await signer(o);
      const result = await withOperations((ops) => ops.ncrs.close(ncrId, o.reason, proof));
      print(result, false, () => `NCR ${ncrId}: ${result.status}`);
    });
}
