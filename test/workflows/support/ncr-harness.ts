import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NcrClient } from '../../../client/ncrs';
import type { NcrPolicy } from '../../../domain/ncr';
import type { NcrStart } from '../../../domain/starts';
import type { RetryTuning } from '../../../domain/tuning';
import { FakeSystems, type Fakes } from './fakes';
import { capa, nonconformance } from './qms-records';
import { LOT_DEFAULTS } from './lot-harness';
import { FAST_TUNING, ORDER_DEFAULTS } from './order-harness';
import { trackRun, withPlantWorkers } from './workers';
import { ncrWorkflowId } from '../../../domain/ids';

export { signer, uniqueLotId } from './lot-harness';
export { eventually } from './order-harness';

const q = (value: string, uom = 'EA') => ({ value, uom });

/** What the NCR's systems answer when a test does not say otherwise. */
export const NCR_DEFAULTS: Fakes = {
  qmsOpenNonconformance: (i) => ({ outcome: 'opened', ncr: nonconformance(i) }),
  qmsUpdateNonconformance: (i) => nonconformance(i),
  qmsAddNonconformanceDisposition: (i) => nonconformance(i),
  qmsCloseNonconformance: (i) => nonconformance(i, 'closed'),
  qmsOpenCapa: (i) => ({ outcome: 'opened', capa: capa(i) }),
  odooCreateQualityAlert: () => ({ alertId: 5, name: 'QA/00005', stage: 'New', created: true }),
  odooPostChatterNote: () => ({ messageId: 1, created: true }),
  odooSetQualityAlertStage: () => ({
    alertId: 5,
    stage: 'Done',
    done: true,
    changed: true,
    closedAt: '2026-11-23T00:00:00Z',
  }),
  odooCreateReworkOrder: () => ({ moName: 'WH/MO/00900', moId: 900, state: 'draft', created: true }),
  // A lot holds 500 unrestricted in one storage location unless a test says otherwise.
  sapReadBatchStock: (i) => ({
    ...i,
    byStorageLocation: [
      {
        storageLocation: '0001',
        stock: { unrestricted: qtyOf('500'), qualityInspection: qtyOf('0'), blocked: qtyOf('0') },
      },
    ],
  }),
  sapCreateQualityNotification: () => ({ notification: '200000001', alreadyCreated: false }),
  sapCompleteQualityNotification: (i) => ({ notification: i.notification, phase: '4', outcome: 'completed' }),
  sapCreateReworkOrder: () => ({
    order: '1000900',
    created: true,
    operations: [
      { operation: '0010', workCenter: 'ASSY1', description: 'Assemble housing and impeller' },
      { operation: '0020', workCenter: 'TEST1', description: 'Coat and pressure test' },
    ],
    components: ['RM-300', 'RM-310', 'RM-400'],
  }),
  plantflowTraceForwardGenealogy: (i) => ({
    lots: i.roots.map((r) => ({
      ...r,
      key: `${r.material}:${r.lotId}`,
      depth: 0,
      workflowId: `lot:${r.material}:${r.lotId}`,
      workflow: 'none' as const,
    })),
    truncated: false,
  }),
  plantflowCountNonconformances: () => ({ count: 1, ncrIds: [] }),
  plantflowOpenNcr: (i) => ({ workflowId: `ncr:${i.start.ncrId}`, alreadyExisted: false }),
  plantflowReleaseReworkOrder: (i) => ({
    workflowId: `order:${i.order.site}:${i.order.orderRef}`,
    runId: 'r1',
    alreadyReleased: false,
  }),
};

/** NCR fakes over the lot's and the order's (containment may meet running lot workflows). */
export function defaultNcrSystems(): FakeSystems {
  return new FakeSystems({ ...ORDER_DEFAULTS, ...LOT_DEFAULTS, ...NCR_DEFAULTS });
}

/** NCR tests run the plant's workers with the fakes; see withPlantWorkers for the clean-up. */
export const withNcrWorkers = withPlantWorkers;

/** An NCR client that remembers the runs it opens, so the test's end can close them. */
class TrackedNcrClient extends NcrClient {
  override openStart(start: NcrStart, opts: { existing: 'use' | 'fail'; tuning?: Partial<RetryTuning> }) {
    trackRun(ncrWorkflowId(start.ncrId));
    return super.openStart(start, opts);
  }
}

export function ncrClient(env: TestWorkflowEnvironment, policy?: Partial<NcrPolicy>): NcrClient {
  return new TrackedNcrClient(env.client, { tuning: FAST_TUNING, policy });
}

let n = 0;
export function uniqueNcrId(prefix = 'NCR-T'): string {
  return `${prefix}-${(Date.now() % 1_000_000).toString(36).toUpperCase()}-${++n}`;
}

/** A 50 EA nonconformance on one FG-100 lot, as a failed inspection opens it. */
export function ncrStart(overrides: Partial<NcrStart> = {}): NcrStart {
  const lotId = overrides.lots?.[0]?.lotId ?? 'L-NC1';
  return {
    ncrId: uniqueNcrId(),
    source: 'inspection',
    severity: 'minor',
    site: '1710',
    material: 'FG-100',
    lots: [{ material: 'FG-100', lotId, quantity: q('50') }],
    quantity: q('50'),
    description: 'PRESSURE below the lower limit (12 bar < 16 bar)',
    raisedBy: 'lab.kim',
    inspection: { characteristic: 'PRESSURE', value: '12', unit: 'bar', result: 'fail' },
    ...overrides,
  };
}

export const qtyOf = q;
