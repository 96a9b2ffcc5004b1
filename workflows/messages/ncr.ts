// Nonconformance messages (DESIGN §2.3): how other processes open an NCR.
import type { Quantity } from '../../domain/quantity';

/** Workflow type name of the nonconformance process (workflows/nonconformance.ts). */
export const NCR_WORKFLOW_TYPE = 'nonconformance';

/** Start input of `ncr:<ncrId>`; opened by a failed inspection, an MES deviation, a supplier issue or a person. */
export interface NcrWorkflowStart {
  ncrId: string;
  source: 'inspection' | 'mes_deviation' | 'supplier' | 'person';
  severity: 'minor' | 'major' | 'critical';
  site: string;
  material: string;
  /** The lots affected at opening (containment extends to their forward genealogy). */
  lots: Array<{ material: string; lotId: string; quantity: Quantity }>;
  quantity: Quantity;
  description: string;
  raisedBy: string;
  orderRef?: string;
  /** The failed inspection that opened it, when it came from one. */
  inspection?: { characteristic: string; value?: string; unit?: string; result: 'fail' };
  openedAt?: string;
}
