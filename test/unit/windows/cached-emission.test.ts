import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { SessionWindows } from '../../../src/windows/session-windows.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';
import { WindowedSerdes } from '../../../src/windows/windowed-serdes.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

/** Runs a windowed count (sessions when `windows` is a `SessionWindows`) over `[key, timestamp]` records; returns `key@start-end=count` lines. */
function countOutput(windows: SessionWindows | TimeWindows, caching: boolean, inputs: ReadonlyArray<readonly [string, number]>): string[] {
  const builder = new StreamsBuilder();
  const grouped = builder.stream('in', strings).groupByKey();
  const keySerde =
    windows instanceof SessionWindows ? WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()) : WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), windows.sizeMs);
  const counted = windows instanceof SessionWindows ? grouped.windowedBy(windows).count({ caching }) : grouped.windowedBy(windows).count({ caching });
  counted.toStream().to('out', { keySerde, valueSerde: Serdes.Long() });
  const driver = new TopologyTestDriver(builder.build());
  try {
    const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
    for (const [key, timestamp] of inputs) input.pipeInput(key, 'v', timestamp);
    return driver
      .createOutputTopic('out', keySerde, Serdes.Long())
      .readKeyValuesToList()
      .map(({ key, value }) => `${key?.key}@${key?.window.start}-${key?.window.end}=${value}`);
  } finally {
    driver.close();
  }
}

describe('windowed aggregations over a cached store', () => {
  it('emit one update per session per commit: a record inside a session replaces it without a tombstone', () => {
    const sessions = SessionWindows.ofInactivityGapWithNoGrace(10);
    const inputs = [['a', 0], ['a', 5], ['a', 3]] as const;
    assert.deepEqual(countOutput(sessions, false, inputs), ['a@0-0=1', 'a@0-0=null', 'a@0-5=2', 'a@0-5=null', 'a@0-5=3']);
    assert.deepEqual(countOutput(sessions, true, inputs), ['a@0-0=1', 'a@0-0=null', 'a@0-5=2', 'a@0-5=3']);
  });

  it('are cached by default and emit what the uncached store emits when every record commits (hopping windows)', () => {
    const hopping = TimeWindows.ofSizeWithNoGrace(10).advanceBy(5);
    const inputs = [['a', 7], ['b', 8], ['a', 12], ['a', 9]] as const;
    const expected = ['a@0-10=1', 'a@5-15=1', 'b@0-10=1', 'b@5-15=1', 'a@5-15=2', 'a@10-20=1', 'a@5-15=3'];
    assert.deepEqual(countOutput(hopping, false, inputs), expected);
    assert.deepEqual(countOutput(hopping, true, inputs), expected);
  });
});
