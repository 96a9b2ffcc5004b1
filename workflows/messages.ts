// Signal, Update and Query definitions shared by the workflows and client/ (docs/architecture.md §4.5), one file per
// process so each stays small.
export * from './messages/shared';
export * from './messages/order';
export * from './messages/lot';
export * from './messages/ncr';
export * from './messages/edge';
export * from './messages/exceptions';
