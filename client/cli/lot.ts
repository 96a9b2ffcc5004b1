import type { Command } from 'commander';
import { DECISION_MEANING, LOT_DECISIONS, type LotDecision } from '../../domain/lot-disposition';
import type { GenealogyNode, GenealogyTrace } from '../../domain/lot-genealogy';
import type { LotStatusView } from '../../workflows/lot/state';
import type { LotStatusReport } from '../lots';
import type { ReauthProof } from '../api/signing/reauth';
import { waitForStatus } from '../wait';
import { print, readStdin, WAIT_TIMEOUT_MS, withOperations } from './context';
import { lotRecordCommand } from './lot-record';

const qty = (q: { value: string; uom: string } | null | undefined) => (q ? `${q.value} ${q.uom}` : '—');

export function describeLot(s: LotStatusReport | LotStatusView): string {
  const lines = [
    `Lot ${s.lotId} of ${s.material} at ${s.site}: ${s.status} (ISA-95 ${s.disposition})${s.sla.overdue ? '  OVERDUE' : ''}${s.needsAttention ? '  NEEDS ATTENTION' : ''}`,
    `  quantity ${qty(s.quantity)}, ${s.origin}${s.production.length ? ` by ${[...new Set(s.production.map((p) => p.orderRef))].join(', ')}` : ''}; release due ${s.sla.deadlineAt}`,
    `  Odoo ${s.systems.odooLocation ?? '—'}, SAP batch ${s.systems.sapBatchRestricted ? 'restricted' : 'unrestricted'} (${s.systems.sapStock})`,
    `  parents:  ${s.parents.map((p) => `${p.material}:${p.lotId} ${qty(p.quantity)}`).join(', ') || 'none'}`,
    `  children: ${s.children.map((c) => `${c.material}:${c.lotId}`).join(', ') || 'none known'}`,
    '  inspections:',
    ...s.inspections.map(
      (i) =>
        `    ${i.required ? '*' : ' '} ${i.characteristic.padEnd(12)} ${i.state}${i.value ? ` ${i.value}${i.unit ? ` ${i.unit}` : ''}` : ''}${i.inspector ? ` (${i.inspector})` : ''}`,
    ),
    `  holds: ${s.holds.map((h) => `${h.holdId} [${h.source}] ${h.reason}`).join('; ') || 'none'}`,
    `  NCRs:  ${s.ncrs.map((n) => `${n.ncrId} ${n.status}`).join(', ') || 'none'}`,
    '  signed records:',
    ...(s.dispositions.length
      ? s.dispositions.map(
          (d) => `    ${d.recordId}: ${d.manifestation}  sha256 ${d.signature.recordHash.slice(0, 16)}…`,
        )
      : ['    none']),
    ...s.parked.map((p) => `  PARKED ${p.step}: ${p.failure.message}`),
    ...('containedBy' in s ? (s.containedBy ?? []) : []).map(
      (c) => `  CONTAINED by NCR ${c.ncrId} (${c.ncrStatus}): ${c.actions.map((a) => a.description).join('; ')}`,
    ),
  ];
  return lines.join('\n');
}

export function describeTrace(t: GenealogyTrace): string {
  const lines = [`${t.direction === 'backward' ? 'Made from' : 'Used in'} (depth ${t.depth}):`];
  const walk = (n: GenealogyNode, indent: string) => {
    const extra = [
      n.quantity ? qty(n.quantity) : undefined,
      n.status ?? (n.tracked ? undefined : 'not run by plantflow'),
      n.truncated ? `…${n.truncated}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`${indent}${n.key}${extra ? `  (${extra})` : ''}`);
    for (const l of n.links) walk(l, `${indent}  `);
  };
  walk(t.root, '  ');
  return lines.join('\n');
}

export function lotCommand(program: Command): void {
  const lot = program.command('lot').description('Material lots: status, genealogy, signed disposition, holds');

  lot
    .command('show <material> <lotId>')
    .description('Live status: genealogy, inspections, holds, NCRs, signed records')
    .option('--json', 'print JSON')
    .option('--wait <status>', 'first wait (up to 3 minutes) until the lot reaches this status, e.g. restricted')
    .action(async (material: string, lotId: string, opts: { json?: boolean; wait?: string }) => {
      const status = await withOperations((ops) =>
        opts.wait
          ? waitForStatus('lot', `lot ${lotId}`, () => ops.lots.status(material, lotId), opts.wait, {
              timeoutMs: WAIT_TIMEOUT_MS,
              notYet: ops.notFound,
            })
          : ops.lots.status(material, lotId),
      );
      print(status, Boolean(opts.json), () => describeLot(status));
    });

  lot
    .command('trace <material> <lotId>')
    .description('Genealogy: backward (what it was made from) or forward (what was made from it)')
    .option('--direction <direction>', 'backward | forward', 'backward')
    .option('--depth <n>', 'levels to follow (1–50)', '50')
    .option('--json', 'print JSON')
    .action(async (material: string, lotId: string, opts: { direction: string; depth: string; json?: boolean }) => {
      if (opts.direction !== 'backward' && opts.direction !== 'forward')
        throw new Error('--direction must be backward or forward');
      const direction = opts.direction;
      const trace = await withOperations((ops) =>
        ops.lots.genealogy(material, lotId, { direction, depth: Number(opts.depth) }),
      );
      print(trace, Boolean(opts.json), () => describeTrace(trace));
    });

  lot
    .command('list')
    .description('Lot runs by visibility')
    .option('--material <material>')
    .option('--status <status>')
    .option('--overdue', 'only overdue lots')
    .option('--json', 'print JSON')
    .action(async (opts: { material?: string; status?: string; overdue?: boolean; json?: boolean }) => {
      const items = await withOperations((ops) =>
        ops.lots.list({
          material: opts.material,
          status: opts.status,
          overdue: opts.overdue ? true : undefined,
        }),
      );
      print(
        items,
        Boolean(opts.json),
        () =>
          items
            .map(
              (i) => `${i.material}:${i.lotId}  ${i.status ?? '?'}${i.overdue ? '  OVERDUE' : ''}  ${i.orderRef ?? ''}`,
            )
            .join('\n') || 'no lots',
      );
    });

  lot
    .command('disposition <material> <lotId>')
    .description(
      'Sign a disposition: re-authenticate (password on stdin, or an OIDC ID token), then release / reject / hold',
    )
    .requiredOption('--decision <decision>', LOT_DECISIONS.join(' | '))
    .option('--meaning <meaning>', 'signature meaning (default: the one that fits the decision)')
    .option(
      '--reason <text>',
      'reason; the written justification of an override (mandatory for reject, hold, override)',
    )
    .option('--override', 'release although inspections are incomplete or an NCR is open (QP, with a justification)')
    .option('--review-hash <sha256>', 'a release: the record hash `plantflow lot record` showed')
    .option(
      '--ack <exceptionId=comment>',
      'a release: acknowledge one exception of the record with a comment (repeat for each)',
      (value: string, acks: string[] = []) => [...acks, value],
    )
    .option('--user <userId>', 'signer user id (password re-authentication; the password is read from stdin)')
    .option('--id-token <token>', 'OIDC ID token from a fresh login (instead of --user)')
    .option('--json', 'print JSON')
    .action(
      async (
        material: string,
        lotId: string,
        opts: {
          decision: string;
          meaning?: string;
          reason?: string;
          override?: boolean;
          reviewHash?: string;
          ack?: string[];
          user?: string;
          idToken?: string;
          json?: boolean;
        },
      ) => {
        if (!(LOT_DECISIONS as readonly string[]).includes(opts.decision))
          throw new Error(`--decision must be one of ${LOT_DECISIONS.join(', ')}`);
        const decision = opts.decision as LotDecision;
        if (decision === 'release' && !opts.reviewHash)
          throw new Error(
            'a release is signed on the reviewed record: run `plantflow lot record`, then pass --review-hash and an --ack per exception',
          );
        const review = opts.reviewHash
          ? {
              recordHash: opts.reviewHash,
              acknowledgements: (opts.ack ?? []).map((a) => {
                const at = a.indexOf('=');
                if (at < 1) throw new Error(`--ack takes <exceptionId>=<comment>, not "${a}"`);
                return { exceptionId: a.slice(0, at), comment: a.slice(at + 1) };
              }),
            }
          : undefined;
        if (!opts.user === !opts.idToken) throw new Error('sign with either --user (password on stdin) or --id-token');
        const proof: ReauthProof = opts.idToken
          ? { idToken: opts.idToken }
          : { userId: opts.user!, password: await readStdin() };
        const signed = await withOperations((ops) =>
          ops.lots.disposition(
            material,
            lotId,
            {
              decision,
              meaning: opts.meaning ?? DECISION_MEANING[decision],
              reason: opts.reason,
              override: opts.override,
            },
            proof,
            review,
          ),
        );
        print(
          signed,
          Boolean(opts.json),
          () => `${signed.recordId}: ${signed.manifestation}\n  record sha256 ${signed.signature.recordHash}`,
        );
      },
    );

  lotRecordCommand(lot);

  lot
    .command('hold <material> <lotId>')
    .description('Place a hold (a held lot cannot be released)')
    .requiredOption('--reason <text>')
    .requiredOption('--by <userId>')
    .option('--hold-id <id>', 'hold id (default: generated)')
    .action(async (material: string, lotId: string, opts: { reason: string; by: string; holdId?: string }) => {
      const holdId = opts.holdId ?? `H-${Date.now().toString(36).toUpperCase()}`;
      const r = await withOperations((ops) =>
        ops.lots.placeHold(material, lotId, { holdId, reason: opts.reason, by: opts.by }),
      );
      process.stdout.write(`hold ${holdId} placed; ${r.holds} hold(s), lot ${r.status}\n`);
    });

  lot
    .command('lift <material> <lotId> <holdId>')
    .description("Lift a person's hold (an NCR's hold is lifted by the NCR)")
    .requiredOption('--reason <text>')
    .requiredOption('--by <userId>')
    .action(async (material: string, lotId: string, holdId: string, opts: { reason: string; by: string }) => {
      const r = await withOperations((ops) =>
        ops.lots.liftHold(material, lotId, { holdId, reason: opts.reason, by: opts.by }),
      );
      process.stdout.write(`hold ${holdId} lifted; ${r.holds} hold(s) left, lot ${r.status}\n`);
    });
}
