import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import type { KStream } from '../../../src/topology/dsl/dsl-api.js';
import type { StreamJoinedOptions } from '../../../src/topology/dsl/dsl-options.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { JoinWindows } from '../../../src/windows/join-windows.js';
import { KAFKA_STREAMS_DESCRIBE } from './stream-stream-join-goldens.js';

const serdes = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const joined = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() };
const windows = JoinWindows.ofTimeDifferenceWithNoGrace(100);
const joiner = (l: string | null, r: string | null): string => `${l}|${r}`;
type JoinType = 'inner' | 'left' | 'outer';

function source(builder: StreamsBuilder, topic: string): KStream<string, string> {
  return builder.stream(topic, serdes);
}

function join(type: JoinType, a: KStream<string, string>, b: KStream<string, string>, options: StreamJoinedOptions<string, string, string>): KStream<string, string> {
  if (type === 'inner') return a.join(b, joiner, windows, options);
  if (type === 'left') return a.leftJoin(b, joiner, windows, options);
  return a.outerJoin(b, joiner, windows, options);
}

function describeText(builder: StreamsBuilder): string {
  return formatTopologyText(builder.build().describe());
}

function expectKafkaText(title: string, builder: StreamsBuilder): void {
  const expected = KAFKA_STREAMS_DESCRIBE[title];
  assert.ok(expected !== undefined, title);
  assert.equal(describeText(builder), expected);
}

describe('stream-stream join names and describe(), byte-identical with Kafka Streams 4.1.2', () => {
  const variants: Array<[string, StreamJoinedOptions<string, string, string>]> = [
    ['plain', joined],
    ['named', { ...joined, name: 'clicks' }],
    ['storeName', { ...joined, storeName: 'js' }],
    ['named storeName', { ...joined, name: 'clicks', storeName: 'js' }],
  ];
  for (const type of ['inner', 'left', 'outer'] as const) {
    for (const [variant, options] of variants) {
      it(`${type} join, ${variant}`, () => {
        const builder = new StreamsBuilder();
        join(type, source(builder, 'left'), source(builder, 'right'), options).to('out');
        expectKafkaText(`${type} ${variant}`, builder);
      });
    }
  }

  it('repartitions both sides whose keys changed, each topic named after its side', () => {
    const builder = new StreamsBuilder();
    const a = source(builder, 'left').selectKey((_k, v) => v);
    const b = source(builder, 'right').map((k, v) => ({ key: v, value: k }));
    a.join(b, joiner, windows, joined).to('out');
    expectKafkaText('repartition both', builder);
  });

  it('names the repartition topics <name>-left and <name>-right', () => {
    let builder = new StreamsBuilder();
    source(builder, 'left')
      .selectKey((_k, v) => v)
      .leftJoin(source(builder, 'right'), joiner, windows, { ...joined, name: 'clicks' })
      .to('out');
    expectKafkaText('repartition left named', builder);
    builder = new StreamsBuilder();
    const a = source(builder, 'left');
    a.outerJoin(
      source(builder, 'right').selectKey((_k, v) => v),
      joiner,
      windows,
      { ...joined, name: 'clicks' },
    ).to('out');
    expectKafkaText('repartition right named', builder);
  });

  it('self-joins with two stores, sharing one repartition topic when the keys changed', () => {
    let builder = new StreamsBuilder();
    let a = source(builder, 'left');
    a.join(a, joiner, windows, joined).to('out');
    expectKafkaText('self join', builder);
    builder = new StreamsBuilder();
    a = source(builder, 'left').selectKey((_k, v) => v);
    a.join(a, joiner, windows, joined).to('out');
    expectKafkaText('self join repartitioned', builder);
  });

  it('reuses a stream repartition topic across unnamed joins, and not across named ones', () => {
    let builder = new StreamsBuilder();
    let a = source(builder, 'left').selectKey((_k, v) => v);
    let r = source(builder, 'right');
    a.join(r, joiner, windows, joined).to('out');
    a.join(r, joiner, windows, joined).to('out2');
    expectKafkaText('two joins of one repartitioned stream', builder);
    builder = new StreamsBuilder();
    a = source(builder, 'left').selectKey((_k, v) => v);
    r = source(builder, 'right');
    const r2 = source(builder, 'right2');
    a.join(r, joiner, windows, { ...joined, name: 'j1' }).to('out');
    a.join(r2, joiner, windows, { ...joined, name: 'j2' }).to('out2');
    expectKafkaText('two named joins of one repartitioned stream', builder);
  });

  it('chains joins: a join result is a stream that can be joined again', () => {
    const builder = new StreamsBuilder();
    join('inner', source(builder, 'left'), source(builder, 'right'), joined)
      .mapValues((v) => v)
      .join(source(builder, 'third'), joiner, windows, joined)
      .to('out');
    expectKafkaText('chained joins', builder);
  });
});
