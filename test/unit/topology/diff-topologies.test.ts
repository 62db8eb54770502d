import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { diffTopologies } from '../../../src/topology/diff/diff-topologies.js';
import type { CompiledTopology } from '../../../src/topology/compiled-topology.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

interface Shape {
  readonly countStore?: string;
  readonly windowMs?: number;
  readonly repartitionName?: string;
  readonly repartitionPartitions?: number;
  readonly logging?: boolean;
  readonly input?: string;
}

/** A count per key and, through a repartition topic, a windowed count per value; each part adjustable. */
function topology(shape: Shape = {}): CompiledTopology {
  const builder = new StreamsBuilder();
  const events = builder.stream(shape.input ?? 'events', strings);
  events.groupByKey().count({ storeName: shape.countStore ?? 'per-key', ...(shape.logging === false ? { logging: false } : {}) });
  events
    .repartition({ ...strings, name: shape.repartitionName ?? 'by-value', ...(shape.repartitionPartitions === undefined ? {} : { partitions: shape.repartitionPartitions }) })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(shape.windowMs ?? 60_000))
    .count({ storeName: 'per-window' });
  return builder.build().build();
}

const summary = (before: CompiledTopology, after: CompiledTopology) => diffTopologies(before, after).map((c) => `${c.severity} ${c.subject}`);

describe('diffTopologies', () => {
  it('finds nothing between two builds of the same topology', () => {
    assert.deepEqual(diffTopologies(topology(), topology()), []);
  });

  it('a renamed store loses its state, and the new name is offered as the likely rename', () => {
    const changes = diffTopologies(topology(), topology({ countStore: 'counts' }));
    assert.deepEqual(changes.map((c) => `${c.severity} ${c.subject}`), ['loses-state per-key', 'safe counts']);
    assert.match(changes[0]!.message, /store per-key is gone: its state and its changelog <applicationId>-per-key-changelog .*renamed to counts\?/);
  });

  it('a changed window size loses state; a changelog turned off and another input are to check', () => {
    assert.deepEqual(summary(topology(), topology({ windowMs: 300_000 })), ['loses-state per-window']);
    assert.deepEqual(summary(topology(), topology({ logging: false })), ['check per-key']);
    assert.deepEqual(summary(topology(), topology({ input: 'events-v2' })), ['check per-key']);
  });

  it('a renamed repartition topic, or a changed partition count, loses the records in flight', () => {
    assert.deepEqual(summary(topology(), topology({ repartitionName: 'by-value-v2' })), ['check per-window', 'loses-state by-value-repartition', 'safe by-value-v2-repartition']);
    assert.deepEqual(summary(topology(), topology({ repartitionPartitions: 6 })), ['loses-state by-value-repartition']);
  });
});
