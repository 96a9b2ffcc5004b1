import type { GenealogyNode, GenealogyTrace } from '../../domain/lot-genealogy';
import type { Quantity } from '../../domain/quantity';

/** One lot in the picture, with the status its run reports (absent for lots plantflow only knows by name). */
export interface GraphLot {
  key: string;
  material: string;
  lotId: string;
  status?: string;
  tracked: boolean;
  /** The lot the picture is about. */
  focus: boolean;
}

/** Made from: `from` was consumed into `to`, with the quantity when known. */
export interface GraphLink {
  from: string;
  to: string;
  quantity?: Quantity;
}

export interface GenealogyGraph {
  lots: GraphLot[];
  links: GraphLink[];
}

/**
 * One graph from a lot's backward and forward traces: every lot once, every "made from" link once, oriented
 * from the material consumed to the lot made of it.
 */
export function genealogyGraph(traces: { backward?: GenealogyTrace; forward?: GenealogyTrace }): GenealogyGraph {
  const lots = new Map<string, GraphLot>();
  const links = new Map<string, GraphLink>();
  const focus = (traces.backward ?? traces.forward)?.root.key;
  const visit = (node: GenealogyNode, direction: 'backward' | 'forward') => {
    const known = lots.get(node.key);
    if (!known || (!known.status && node.status))
      lots.set(node.key, {
        key: node.key,
        material: node.material,
        lotId: node.lotId,
        ...(node.status ? { status: node.status } : {}),
        tracked: node.tracked,
        focus: node.key === focus,
      });
    for (const link of node.links) {
      const [from, to] = direction === 'backward' ? [link.key, node.key] : [node.key, link.key];
      if (!links.has(`${from}>${to}`))
        links.set(`${from}>${to}`, { from, to, ...(link.quantity ? { quantity: link.quantity } : {}) });
      visit(link, direction);
    }
  };
  if (traces.backward) visit(traces.backward.root, 'backward');
  if (traces.forward) visit(traces.forward.root, 'forward');
  const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
  return {
    lots: [...lots.values()].sort(byKey),
    links: [...links.values()].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`)),
  };
}
