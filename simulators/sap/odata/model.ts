import type { PropDef, Row } from './edm';
import type { SapMessage } from './errors';

/** What a business handler gets besides the payload. */
export interface RequestContext {
  user: string;
  now: number;
}

/** A create payload split into the entity's own values and deep-inserted children per navigation. */
export interface ParsedBody {
  values: Row;
  /** Properties the client actually sent (so defaults can differ from explicit values). */
  sent: Set<string>;
  nested: Record<string, ParsedBody[]>;
}

export interface WriteResult {
  row: Row;
  refs?: Record<string, string>;
  warnings?: SapMessage[];
}

export interface NavDef {
  name: string;
  /** Target entity set in the same service. */
  target: string;
  many: boolean;
  resolve(row: Row): Row[];
  /** Accepted as a deep insert on create. */
  deepInsert?: boolean;
}

export interface EntitySetDef {
  name: string;
  /** Entity type name without namespace. */
  type: string;
  keys: string[];
  props: PropDef[];
  /** Property with ConcurrencyMode=Fixed (the ETag). */
  etag?: string;
  navs?: NavDef[];
  creatable?: boolean;
  updatable?: boolean;
  deletable?: boolean;
  /** Properties a PATCH may change; anything else sent is refused with 400. */
  patchable?: string[];
  rows(): Row[];
  /** Checks a collection query before it runs (throws the refusal); e.g. a filter the system insists on. */
  queryGuard?(filter: string | undefined): void;
  create?(input: ParsedBody, ctx: RequestContext): WriteResult;
  patch?(row: Row, changes: Row, ctx: RequestContext): WriteResult;
}

export interface ComplexTypeDef {
  name: string;
  props: PropDef[];
}

export type FunctionReturn =
  | { kind: 'complex'; type: ComplexTypeDef }
  | { kind: 'complex-collection'; type: ComplexTypeDef }
  | { kind: 'entity'; set: string };

export interface FunctionImportDef {
  name: string;
  httpMethod: 'POST' | 'GET';
  params: Array<PropDef & { required?: boolean }>;
  returns: FunctionReturn;
  /** Entity type (without namespace) the action belongs to, for sap:action-for. */
  actionFor?: string;
  invoke(
    params: Row,
    ctx: RequestContext,
  ): { result: Row | Row[]; refs?: Record<string, string>; warnings?: SapMessage[] };
}

export interface ServiceDef {
  name: string;
  /** EDMX schema namespace (the service name, or cds_… for CDS-generated services). */
  namespace: string;
  sets: EntitySetDef[];
  functions: FunctionImportDef[];
  complexTypes: ComplexTypeDef[];
}

export function findSet(service: ServiceDef, name: string): EntitySetDef | undefined {
  return service.sets.find((s) => s.name === name);
}

export function propOf(set: { props: PropDef[] }, name: string): PropDef | undefined {
  return set.props.find((p) => p.name === name);
}
