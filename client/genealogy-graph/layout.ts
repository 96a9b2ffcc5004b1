import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { GenealogyGraph, GraphLink, GraphLot } from './graph';

export interface PlacedLot extends GraphLot {
  /** Centre and size, in the picture's units. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedLink extends GraphLink {
  points: Array<{ x: number; y: number }>;
}

export interface GenealogyLayout {
  width: number;
  height: number;
  lots: PlacedLot[];
  links: PlacedLink[];
}

export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 46;

/** Lays the graph out left to right (what it was made from on the left, what was made from it on the right). */
export function layoutGenealogy(graph: GenealogyGraph): GenealogyLayout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 60, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const lot of graph.lots) g.setNode(lot.key, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const link of graph.links) g.setEdge(link.from, link.to);
  dagre.layout(g);
  const size = g.graph();
  return {
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    lots: graph.lots.map((lot) => {
      const n = g.node(lot.key);
      return { ...lot, x: n.x ?? 0, y: n.y ?? 0, width: n.width, height: n.height };
    }),
    links: graph.links.map((link) => ({ ...link, points: g.edge(link.from, link.to).points ?? [] })),
  };
}
