// The genealogy as a picture: traces → graph → layout (dagre) → SVG, or drawn into a PDF from the same layout.
import type { GenealogyTrace } from '../../domain/lot-genealogy';
import { genealogyGraph } from './graph';
import { layoutGenealogy } from './layout';
import { genealogySvg } from './svg';

export { genealogyGraph, type GenealogyGraph, type GraphLink, type GraphLot } from './graph';
export { layoutGenealogy, type GenealogyLayout, type PlacedLink, type PlacedLot } from './layout';
export { statusStyle, type StatusStyle } from './style';
export { genealogySvg } from './svg';

/** A lot's genealogy, both ways, as one SVG. */
export function genealogyPicture(
  traces: { backward?: GenealogyTrace; forward?: GenealogyTrace },
  title?: string,
): string {
  return genealogySvg(layoutGenealogy(genealogyGraph(traces)), title);
}
