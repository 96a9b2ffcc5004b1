import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Typed search attributes (docs/architecture.md §4.5): operators find runs by these in the Temporal Web UI.
export const OrderRefAttr = defineSearchAttributeKey('OrderRef', SearchAttributeType.KEYWORD);
export const LotIdAttr = defineSearchAttributeKey('LotId', SearchAttributeType.KEYWORD);
export const MaterialAttr = defineSearchAttributeKey('Material', SearchAttributeType.KEYWORD);
export const SiteAttr = defineSearchAttributeKey('Site', SearchAttributeType.KEYWORD);
export const OrderStatusAttr = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const LotStatusAttr = defineSearchAttributeKey('LotStatus', SearchAttributeType.KEYWORD);
export const NcrStatusAttr = defineSearchAttributeKey('NcrStatus', SearchAttributeType.KEYWORD);
export const ParentLotsAttr = defineSearchAttributeKey('ParentLots', SearchAttributeType.KEYWORD_LIST);
/** An NCR's contained lots as `<material>:<lotId>`: the lot view of a closed lot run finds its containment. */
export const ContainedLotsAttr = defineSearchAttributeKey('ContainedLots', SearchAttributeType.KEYWORD_LIST);
export const NeedsAttentionAttr = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL);
export const OverdueAttr = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);

/** Registered by the dev-server launcher and by the test environments. */
export const PLANTFLOW_SEARCH_ATTRIBUTES = [
  OrderRefAttr,
  LotIdAttr,
  MaterialAttr,
  SiteAttr,
  OrderStatusAttr,
  LotStatusAttr,
  NcrStatusAttr,
  ParentLotsAttr,
  ContainedLotsAttr,
  NeedsAttentionAttr,
  OverdueAttr,
];
