/**
 * What one run tells another (by signal: workflows cannot send each other updates), and the holds people
 * and NCRs place. The producing order's production notice and a child lot's notice are the genealogy's
 * own records (ProducedNotice, ChildLink in lot-genealogy.ts).
 */

/** A hold on an order: no new dispatch at the plant until it is lifted. */
export interface HoldRequest {
  holdId: string;
  reason: string;
  by: string;
  source: 'person' | 'ncr';
}
export interface LiftHoldRequest {
  holdId: string;
  by: string;
  reason: string;
}

/** A lot workflow tells its producing order about a disposition. */
export interface LotDispositionNotice {
  material: string;
  lotId: string;
  disposition: string;
  final: boolean;
}

/** Sent by the producing order once Odoo has received the finished goods (MO done): stock now exists to quarantine. */
export interface LotStockReceivedNotice {
  orderRef: string;
  receivedAt: string;
}

/** A hold on a lot from another workflow (an NCR's containment) or, through the API, from a person. */
export interface LotHoldRequest {
  holdId: string;
  reason: string;
  by: string;
  source: 'person' | 'ncr';
  ncrId?: string;
}
/** Holds placed by people (roles qa/qp) through the lot's Update. */
export type PersonLotHoldRequest = Omit<LotHoldRequest, 'source' | 'ncrId'>;
export interface LotLiftHoldRequest {
  holdId: string;
  by: string;
  reason: string;
  /** An NCR lifting its containment may name itself instead of (or beside) the hold id it used. */
  ncrId?: string;
}

/**
 * An NCR tells each lot it concerns how it stands. Lifting its hold does not close it: the lot counts the
 * NCR open (a release then needs a QP override) until the NCR reports `closed`.
 */
export interface LotNcrStatusNotice {
  ncrId: string;
  status: 'open' | 'contained' | 'dispositioned' | 'closed';
  at: string;
  by: string;
}
