import type { Client } from '@temporalio/client';
import type { EdgeHealth } from '../domain/edge';
import type { ExceptionKind } from '../domain/exceptions';
import type { OrderStatus } from '../domain/order';
import { LOT_WORKFLOW_TYPE } from '../workflows/messages/lot';
import { NCR_WORKFLOW_TYPE } from '../workflows/messages/ncr';
import { ORDER_WORKFLOW_TYPE } from '../workflows/messages/order';
import { EdgeClient } from './edges';
import { ExceptionsClient } from './exceptions';
import { exceptionsWorkflowId } from '../domain/ids';
import { quoted } from './visibility';

/** One count on the plant health page: what it means to the plant, its value, and the Web UI query behind it. */
export interface PlantCount {
  id: string;
  group: 'orders' | 'lots' | 'ncrs' | 'exceptions' | 'drift';
  label: string;
  value: number;
  /** The Temporal visibility query that lists exactly these runs in the Web UI. */
  query: string;
  /** Prometheus series: metric name and labels. */
  metric: string;
  labels: Record<string, string>;
}

export interface PlantHealthSnapshot {
  at: string;
  counts: PlantCount[];
  edges: EdgeHealth[];
}

const running = (type: string) => `WorkflowType = ${quoted(type)} AND ExecutionStatus = 'Running'`;

/** Order statuses of running orders, in plant words; closed and final ones are history, not health. */
const ORDER_COUNTS: Array<[OrderStatus, string]> = [
  ['awaiting_order', 'Orders awaiting their release (MES events came first)'],
  ['validating', 'Orders being validated'],
  ['releasing', 'Orders releasing to Odoo, SAP, QMS and MES'],
  ['released', 'Orders released, not started'],
  ['in_progress', 'Orders in progress'],
  ['completing', 'Orders completing in the ERPs'],
  ['completed', 'Orders completed, lots awaiting disposition'],
];

interface CountSpec {
  id: string;
  group: PlantCount['group'];
  label: string;
  query: string;
  metric: string;
  labels?: Record<string, string>;
}

function visibilityCounts(): CountSpec[] {
  const order = running(ORDER_WORKFLOW_TYPE);
  const lot = running(LOT_WORKFLOW_TYPE);
  const ncr = running(NCR_WORKFLOW_TYPE);
  return [
    ...ORDER_COUNTS.map(([status, label]) => ({
      id: `orders-${status}`,
      group: 'orders' as const,
      label,
      query: `${order} AND OrderStatus = ${quoted(status)}`,
      metric: 'plantflow_orders',
      labels: { status },
    })),
    {
      id: 'orders-parked',
      group: 'orders',
      label: 'Orders with a parked step',
      query: `${order} AND NeedsAttention = true`,
      metric: 'plantflow_runs_needing_attention',
      labels: { process: 'order' },
    },
    {
      id: 'lots-awaiting-disposition',
      group: 'lots',
      label: 'Lots awaiting disposition',
      query: `${lot} AND (LotStatus = 'restricted' OR LotStatus = 'on_hold')`,
      metric: 'plantflow_lots_awaiting_disposition',
    },
    {
      id: 'lots-on-hold',
      group: 'lots',
      label: 'Lots on hold',
      query: `${lot} AND LotStatus = 'on_hold'`,
      metric: 'plantflow_lots_on_hold',
    },
    {
      id: 'lots-overdue',
      group: 'lots',
      label: 'Lots overdue for disposition',
      query: `${lot} AND Overdue = true`,
      metric: 'plantflow_lots_overdue',
    },
    {
      id: 'lots-parked',
      group: 'lots',
      label: 'Lots with a parked step',
      query: `${lot} AND NeedsAttention = true`,
      metric: 'plantflow_runs_needing_attention',
      labels: { process: 'lot' },
    },
    { id: 'ncrs-open', group: 'ncrs', label: 'Open nonconformances', query: ncr, metric: 'plantflow_ncrs_open' },
    {
      id: 'ncrs-overdue',
      group: 'ncrs',
      label: 'Nonconformances overdue',
      query: `${ncr} AND Overdue = true`,
      metric: 'plantflow_ncrs_overdue',
    },
    {
      id: 'ncrs-parked',
      group: 'ncrs',
      label: 'Nonconformances with a parked step',
      query: `${ncr} AND NeedsAttention = true`,
      metric: 'plantflow_runs_needing_attention',
      labels: { process: 'ncr' },
    },
  ];
}

/**
 * The plant's health in operational terms, from Temporal visibility `count` (one indexed count per figure,
 * never a scan of runs) and each site's exception record, kept for `ttlMs` so the page and Prometheus
 * can ask as often as they like without loading the server.
 */
export class PlantHealth {
  private cached?: { at: number; value: Promise<PlantHealthSnapshot> };
  private readonly exceptions: ExceptionsClient;
  private readonly edges: EdgeClient;

  constructor(
    private readonly temporal: Client,
    private readonly sites: string[],
    silentAfterMs: number,
    private readonly ttlMs = 15_000,
  ) {
    this.exceptions = new ExceptionsClient(temporal);
    this.edges = new EdgeClient(temporal, silentAfterMs);
  }

  snapshot(): Promise<PlantHealthSnapshot> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      const value = this.read();
      this.cached = { at: now, value };
      // A failed read is not kept: the next caller asks again.
      value.catch(() => {
        if (this.cached?.value === value) this.cached = undefined;
      });
    }
    return this.cached.value;
  }

  private async read(): Promise<PlantHealthSnapshot> {
    const specs = visibilityCounts();
    const counted = await Promise.all(
      specs.map(async (s) => ({
        ...s,
        labels: s.labels ?? {},
        value: (await this.temporal.workflow.count(s.query)).count,
      })),
    );
    const recorded = await Promise.all(this.sites.map((site) => this.siteExceptions(site)));
    return { at: new Date().toISOString(), counts: [...counted, ...recorded.flat()], edges: await this.edges.list() };
  }

  /** Open exceptions by kind and open drift by reason, from the site's record (a query of one run). */
  private async siteExceptions(site: string): Promise<PlantCount[]> {
    const record = await this.exceptions.list(site, { status: 'open', limit: 10_000 });
    const query = `WorkflowId = ${quoted(exceptionsWorkflowId(site))}`;
    const byKind = Object.entries(record.counts) as Array<[ExceptionKind, { open: number }]>;
    const drift = new Map<string, number>();
    for (const e of record.exceptions)
      if (e.kind === 'Drift') drift.set(e.reason.code, (drift.get(e.reason.code) ?? 0) + 1);
    return [
      ...byKind.map(([kind, c]) => ({
        id: `exceptions-${site}-${kind}`,
        group: 'exceptions' as const,
        label: `Open exceptions: ${kind} (site ${site})`,
        value: c.open,
        query,
        metric: 'plantflow_exceptions_open',
        labels: { site, kind },
      })),
      ...[...drift].map(([reason, value]) => ({
        id: `drift-${site}-${reason}`,
        group: 'drift' as const,
        label: `Open drift: ${reason} (site ${site})`,
        value,
        query,
        metric: 'plantflow_drift_open',
        labels: { site, reason },
      })),
    ];
  }
}
