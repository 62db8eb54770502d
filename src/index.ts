export { Headers } from './core/headers.js';
export type { Header } from './core/headers.js';
export { Record } from './core/record.js';
export type { RecordMetadata } from './core/record.js';
export type { Serde } from './core/serde.js';
export type {
  Cancellable,
  FixedKeyProcessor,
  FixedKeyProcessorContext,
  FixedKeyProcessorSupplier,
  Processor,
  ProcessorContext,
  ProcessorSupplier,
  PunctuationType,
  Punctuator,
} from './core/processor.js';
export { ConfigError, ProcessingError, SerdeError, StateError, StreamsError, TopologyError } from './core/errors.js';
export type { ErrorCoordinates, StreamsErrorCode } from './core/errors.js';
