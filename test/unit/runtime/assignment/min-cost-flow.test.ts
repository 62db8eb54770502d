import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowNetwork } from '../../../../src/runtime/assignment/min-cost-flow.js';

test('sends the most flow that fits, at the least cost, undoing an earlier path when that lets more through', () => {
  // The cheapest path 0→1→2→3 (cost 3) goes first; the second unit can only get through by taking 1→2 back:
  // 0→2 then 2→1 (residual, −1) then 1→3, so both units arrive and the cross edge carries nothing.
  const network = new FlowNetwork(4);
  const edges = [network.addEdge(0, 1, 1, 1), network.addEdge(1, 2, 1, 1), network.addEdge(2, 3, 1, 1), network.addEdge(0, 2, 1, 3), network.addEdge(1, 3, 1, 3)];
  assert.deepEqual(network.solve(0, 3), { flow: 2, cost: 1 + 1 + 3 + 3 });
  assert.deepEqual(edges.map((e) => network.flowOn(e)), [1, 0, 1, 1, 1]);
});

test('a cut-off sink gets no flow, and negative costs are refused', () => {
  const network = new FlowNetwork(3);
  network.addEdge(0, 1, 5, 0);
  assert.deepEqual(network.solve(0, 2), { flow: 0, cost: 0 });
  assert.throws(() => network.addEdge(1, 2, 1, -1), /non-negative/);
});
