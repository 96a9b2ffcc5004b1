import { createHash } from 'node:crypto';
import type { PropDef } from './edm';
import { findSet, type EntitySetDef, type FunctionImportDef, type ServiceDef } from './model';

/**
 * EDMX 1.0 / OData V2 `$metadata` built from the same definitions the simulator serves, so the document
 * never drifts from behaviour: keys, types with facets, ConcurrencyMode=Fixed on ETag properties,
 * sap:creatable/updatable/deletable on sets, hashed association names, function imports with m:HttpMethod.
 */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function propertyXml(p: PropDef, key: boolean, etag: boolean): string {
  const facets: string[] = [`Name="${p.name}"`, `Type="Edm.${p.type}"`];
  if (key || (!p.nullable && p.type !== 'String')) facets.push('Nullable="false"');
  else if (p.nullable) facets.push('Nullable="true"');
  if (p.type === 'String' && p.maxLength !== undefined) facets.push(`MaxLength="${p.maxLength}"`);
  if (p.type === 'Decimal') facets.push(`Precision="${p.precision ?? 13}"`, `Scale="${p.scale ?? 3}"`);
  if (p.type === 'DateTime') facets.push('Precision="0"');
  if (p.type === 'DateTimeOffset') facets.push('Precision="7"');
  if (etag) facets.push('ConcurrencyMode="Fixed"');
  if (p.alpha) facets.push('sap:display-format="NonNegative"');
  else if (p.type === 'String') facets.push('sap:display-format="UpperCase"');
  if (p.type === 'DateTime') facets.push('sap:display-format="Date"');
  if (p.unit) facets.push(`sap:unit="${p.unit}"`);
  facets.push(`sap:label="${esc(p.label ?? p.name)}"`);
  return `<Property ${facets.join(' ')}/>`;
}

function assocName(service: ServiceDef, from: EntitySetDef, nav: string): string {
  const hash = createHash('sha1')
    .update(`${service.name}.${from.type}.${nav}`)
    .digest('hex')
    .slice(0, 32)
    .toUpperCase();
  return `assoc_${hash}`;
}

function functionXml(service: ServiceDef, f: FunctionImportDef): string {
  const ns = service.namespace;
  let returns = '';
  if (f.returns.kind === 'complex') returns = ` ReturnType="${ns}.${f.returns.type.name}"`;
  if (f.returns.kind === 'complex-collection') returns = ` ReturnType="Collection(${ns}.${f.returns.type.name})"`;
  if (f.returns.kind === 'entity') {
    const set = findSet(service, f.returns.set)!;
    returns = ` ReturnType="${ns}.${set.type}" EntitySet="${set.name}"`;
  }
  const actionFor = f.actionFor ? ` sap:action-for="${ns}.${f.actionFor}"` : '';
  const params = f.params
    .map((p) => {
      const facets = [`Name="${p.name}"`, `Type="Edm.${p.type}"`, 'Mode="In"'];
      if (p.type === 'String' && p.maxLength !== undefined) facets.push(`MaxLength="${p.maxLength}"`);
      if (p.type === 'Decimal') facets.push(`Precision="${p.precision ?? 13}"`, `Scale="${p.scale ?? 3}"`);
      if (!p.required) facets.push('Nullable="true"');
      return `<Parameter ${facets.join(' ')}/>`;
    })
    .join('');
  return `<FunctionImport Name="${f.name}"${returns} m:HttpMethod="${f.httpMethod}"${actionFor}>${params}</FunctionImport>`;
}

export function metadataXml(service: ServiceDef): string {
  const ns = service.namespace;
  const types: string[] = [];
  const associations: string[] = [];
  const associationSets: string[] = [];
  for (const set of service.sets) {
    const navs: string[] = [];
    for (const nav of set.navs ?? []) {
      const target = findSet(service, nav.target)!;
      const name = assocName(service, set, nav.name);
      navs.push(
        `<NavigationProperty Name="${nav.name}" Relationship="${ns}.${name}" FromRole="FromRole_${name}" ToRole="ToRole_${name}"/>`,
      );
      associations.push(
        `<Association Name="${name}" sap:content-version="1"><End Type="${ns}.${set.type}" Multiplicity="1" Role="FromRole_${name}"/>` +
          `<End Type="${ns}.${target.type}" Multiplicity="${nav.many ? '*' : '0..1'}" Role="ToRole_${name}"/></Association>`,
      );
      associationSets.push(
        `<AssociationSet Name="${name}" Association="${ns}.${name}" sap:creatable="false" sap:updatable="false" sap:deletable="false" sap:content-version="1">` +
          `<End EntitySet="${set.name}" Role="FromRole_${name}"/><End EntitySet="${target.name}" Role="ToRole_${name}"/></AssociationSet>`,
      );
    }
    const keys = set.keys.map((k) => `<PropertyRef Name="${k}"/>`).join('');
    const props = set.props.map((p) => propertyXml(p, set.keys.includes(p.name), set.etag === p.name)).join('');
    types.push(
      `<EntityType Name="${set.type}" sap:content-version="1"><Key>${keys}</Key>${props}${navs.join('')}</EntityType>`,
    );
  }
  for (const complex of service.complexTypes) {
    types.push(
      `<ComplexType Name="${complex.name}">${complex.props.map((p) => propertyXml(p, false, false)).join('')}</ComplexType>`,
    );
  }
  const sets = service.sets
    .map(
      (s) =>
        `<EntitySet Name="${s.name}" EntityType="${ns}.${s.type}" sap:creatable="${!!s.creatable}" sap:updatable="${!!s.updatable}" ` +
        `sap:deletable="${!!s.deletable}" sap:searchable="true" sap:content-version="1"/>`,
    )
    .join('');
  const functions = service.functions.map((f) => functionXml(service, f)).join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" ' +
    'xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData">' +
    '<edmx:DataServices m:DataServiceVersion="2.0">' +
    `<Schema Namespace="${ns}" xml:lang="en" sap:schema-version="1" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">` +
    types.join('') +
    associations.join('') +
    `<EntityContainer Name="${ns}_Entities" m:IsDefaultEntityContainer="true" sap:message-scope-supported="true" sap:supported-formats="atom json xlsx">` +
    sets +
    associationSets.join('') +
    functions +
    '</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>'
  );
}

/** The JSON service document: `{"d":{"EntitySets":[…]}}`. */
export function serviceDocument(service: ServiceDef): unknown {
  return { d: { EntitySets: service.sets.map((s) => s.name) } };
}
