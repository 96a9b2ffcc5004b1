import assert from 'node:assert/strict';
import { genealogyGraph, genealogyPicture, layoutGenealogy } from '../../../client/genealogy-graph';
import type { GenealogyNode, GenealogyTrace } from '../../../domain/lot-genealogy';

const node = (material: string, lotId: string, links: GenealogyNode[] = [], status?: string): GenealogyNode => ({
  material,
  lotId,
  key: `${material}:${lotId}`,
  tracked: status !== undefined,
  ...(status ? { status } : {}),
  quantity: { value: '10', uom: 'EA' },
  links,
});
const trace = (direction: 'backward' | 'forward', root: GenealogyNode): GenealogyTrace => ({
  direction,
  depth: 50,
  root,
  lots: [],
});

describe('genealogy picture: graph, layout (dagre) and SVG', () => {
  const focus = (links: GenealogyNode[]) => node('FG-100', 'L-1', links, 'released');
  const backward = trace(
    'backward',
    focus([node('RM-300', 'H-1001'), node('RM-310', 'I-2001', [node('RM-900', 'X-1')])]),
  );
  const forward = trace('forward', focus([node('FG-200', 'P-1', [], 'on_hold')]));

  it('joins both traces into one graph, every lot once, every link from what was consumed to what was made', () => {
    const graph = genealogyGraph({ backward, forward });
    assert.deepEqual(
      graph.lots.map((l) => `${l.key}${l.focus ? '*' : ''} ${l.status ?? '-'}`),
      ['FG-100:L-1* released', 'FG-200:P-1 on_hold', 'RM-300:H-1001 -', 'RM-310:I-2001 -', 'RM-900:X-1 -'],
    );
    assert.deepEqual(
      graph.links.map((l) => `${l.from}>${l.to}`),
      ['FG-100:L-1>FG-200:P-1', 'RM-300:H-1001>FG-100:L-1', 'RM-310:I-2001>FG-100:L-1', 'RM-900:X-1>RM-310:I-2001'],
    );
  });

  it('lays it out left to right: ancestors left of the lot, descendants right of it', () => {
    const layout = layoutGenealogy(genealogyGraph({ backward, forward }));
    const x = (key: string) => layout.lots.find((l) => l.key === key)!.x;
    assert.ok(
      x('RM-900:X-1') < x('RM-310:I-2001') && x('RM-310:I-2001') < x('FG-100:L-1') && x('FG-100:L-1') < x('FG-200:P-1'),
    );
    assert.ok(layout.width > 0 && layout.height > 0);
    assert.ok(layout.links.every((l) => l.points.length >= 2));
  });

  it('draws each lot with its status, the quantities on the links, and escapes what it prints', () => {
    const svg = genealogyPicture({ backward, forward }, 'Genealogy of <FG-100:L-1> & co');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal((svg.match(/<rect /g) ?? []).length, 5);
    assert.equal((svg.match(/marker-end=/g) ?? []).length, 4);
    assert.ok(svg.includes('<title>Genealogy of &lt;FG-100:L-1&gt; &amp; co</title>'));
    assert.ok(svg.includes('>released<') && svg.includes('>on hold<') && svg.includes('>not run by plantflow<'));
    assert.ok(svg.includes('>10 EA<'));
    assert.ok(!/<script|href=/.test(svg), 'self-contained, nothing to fetch or run');
  });
});
