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
export type { ErrorCoordinates, StateErrorCode, StreamsErrorCode } from './core/errors.js';
export { Serdes } from './core/serdes.js';
export { AvroSerdes } from './serdes/avro/avro-serdes.js';
export type { AvroRecord, AvroSerdeOptions } from './serdes/avro/avro-serdes.js';
export type { AvroSchema } from './serdes/avro/avro-types.js';
export { HttpSchemaRegistry } from './serdes/registry/http-schema-registry.js';
export type { HttpSchemaRegistryOptions } from './serdes/registry/http-schema-registry.js';
export { LocalSchemaRegistry } from './serdes/registry/local-schema-registry.js';
export type { RegisteredSchema, SchemaRegistry, SchemaType } from './serdes/registry/schema-registry.js';
export type { SubjectNameStrategy } from './serdes/registry/subject-name.js';
export { KeyValue } from './state/key-value.js';
export type { KeyValueIterator } from './state/key-value-iterator.js';
export type { FlushListener, KeyValueStore, ReadOnlyKeyValueStore } from './state/key-value-store.js';
export type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from './state/key-value-bytes-store.js';
export type { TimestampedKeyValueStore } from './state/timestamped-key-value-store.js';
export { isKeyValueStore, isTimestampedKeyValueStore } from './state/timestamped-key-value-store.js';
export { ValueAndTimestamp, valueAndTimestampSerde } from './state/value-and-timestamp.js';
export { ReadOnlyKeyValueStoreFacade, readOnlyKeyValueStoreOf } from './state/read-only-key-value-store-facade.js';
export { KeyValueStoreBuilder } from './state/key-value-store-builder.js';
export { Stores } from './state/stores.js';
export type { VersionedKeyValueStore, VersionedRecord } from './state/versioned-key-value-store.js';
export {
  isVersionedKeyValueStore,
  PUT_RETURN_CODE_NOT_PUT,
  PUT_RETURN_CODE_VALID_TO_UNDEFINED,
  TypedVersionedKeyValueStore,
} from './state/versioned-key-value-store.js';
export type { VersionedBytesStore, VersionedBytesStoreSupplier } from './state/versioned-bytes-store.js';
export { VersionedKeyValueStoreBuilder } from './state/versioned-key-value-store-builder.js';
export type { StateStore, StateStoreContext, StoreBuilder } from './state/state-store.js';
export type { ChangelogWriter } from './state/changelog.js';
export type { TaskDatabase } from './state/sqlite/task-database.js';
export { StreamsBuilder } from './topology/dsl/streams-builder.js';
export type {
  BranchedKStream,
  BranchOptions,
  KGroupedStream,
  KGroupedTable,
  KStream,
  KTable,
  SessionWindowedKStream,
  TimeWindowedKStream,
} from './topology/dsl/dsl-api.js';
export type { CogroupedKStream, SessionWindowedCogroupedKStream, TimeWindowedCogroupedKStream } from './topology/dsl/dsl-api.js';
export type { GlobalKTable } from './topology/dsl/global-ktable.js';
export type { GlobalTableOptions } from './topology/dsl/dsl-options.js';
export type {
  ConsumedOptions,
  GroupedOptions,
  MaterializedOptions,
  NamedOptions,
  ProducedOptions,
  RepartitionedOptions,
  StoreOptions,
  StreamJoinedOptions,
  StoreType,
  TableOptions,
  VersionedOptions,
  VersionedTableOptions,
  WindowedMaterializedOptions,
} from './topology/dsl/dsl-options.js';
export type { StreamJoiner, StreamLeftJoiner, StreamOuterJoiner } from './topology/dsl/stream-joiners.js';
export type { ForeignKeyJoinOptions } from './topology/dsl/dsl-options.js';
export type { ForeignKeyExtractor } from './topology/dsl/table-joiners.js';
export type {
  Aggregator,
  ForeachAction,
  Initializer,
  KeyValueMapper,
  Merger,
  Predicate,
  Reducer,
  ValueMapper,
} from './topology/dsl/dsl-functions.js';
export { Topology } from './topology/topology.js';
export type {
  ConsumedRecord,
  RecordContext,
  SinkOptions,
  SourceOptions,
  StreamPartitioner,
  TimestampExtractor,
  TopicNameExtractor,
} from './topology/node-options.js';
export type {
  GlobalStoreDescription,
  NodeDescription,
  ProcessorDescription,
  SinkDescription,
  SourceDescription,
  SubtopologyDescription,
  TopologyDescription,
} from './topology/describe/topology-description.js';
export { formatTopologyText } from './topology/describe/format-topology-text.js';
export { formatTopologyMermaid } from './topology/describe/format-topology-mermaid.js';
export { formatTopologyJson } from './topology/describe/format-topology-json.js';
export type { ErrorHandlerContext, ExceptionHandler, ExceptionHandlerResponse } from './processing/exception-handlers.js';
export type { TaskMetrics } from './processing/task-metrics.js';
export { KafkaStreams } from './runtime/app/kafka-streams.js';
export { fixKafkajsReadCommitted } from './runtime/kafka/kafkajs-read-committed.js';
export type { KafkaStreamsOptions, UncaughtExceptionHandler, UncaughtExceptionResponse } from './runtime/app/kafka-streams.js';
export type { KafkaClientName, LogLevel, ProcessingGuarantee, StreamsConfig } from './runtime/app/streams-config.js';
export type { HostInfo, QueryKeyCodec, QueryServerConfig } from './runtime/app/queries/query-config.js';
export type { KeyQueryMetadata, StreamsMetadata } from './runtime/app/queries/streams-metadata-state.js';
export type { TopologyModule } from './runtime/app/threads/topology-module.js';
export { STREAMS_STATE_TRANSITIONS } from './runtime/app/streams-state.js';
export type { StateListener, StreamsState } from './runtime/app/streams-state.js';
export type { StreamsMetrics, TaskRuntimeMetrics } from './runtime/app/streams-metrics.js';
export type { StateRestoreListener } from './runtime/tasks/state-restore-listener.js';
export type { ThreadMetricsSnapshot } from './runtime/metrics/thread-metrics.js';
export type { MetricsRegistry } from './runtime/metrics/prometheus-metrics.js';
export type { TaskState } from './runtime/tasks/task-state.js';
export type { ProductionErrorContext, ProductionExceptionHandler } from './runtime/tasks/production-exception-handler.js';
export { DEAD_LETTER_HEADERS } from './runtime/tasks/dead-letter.js';
export { resetApplication } from './runtime/reset/reset-application.js';
export type { PlannedOffset, ResetApplicationOptions, ResetReport } from './runtime/reset/reset-application.js';
export type { ResetTarget } from './runtime/reset/reset-target.js';
export type { KafkaClient, KafkaClientFactory, KafkaConnectionConfig, PartitionOffset, SaslConfig } from './runtime/client/kafka-client.js';
export type { DroppedRecordReason } from './core/processor.js';
export type { Window, Windowed } from './core/windowed.js';
export type { ReadOnlyWindowStore, WindowStore } from './state/window-store.js';
export type { WindowBytesStore, WindowBytesStoreSupplier, WindowedBytes } from './state/window-bytes-store.js';
export { WindowStoreBuilder } from './state/window-store-builder.js';
export { TimeWindows } from './windows/time-windows.js';
export { SlidingWindows } from './windows/sliding-windows.js';
export { SessionWindows } from './windows/session-windows.js';
export { JoinWindows } from './windows/join-windows.js';
export { WindowedSerdes } from './windows/windowed-serdes.js';
export type { ReadOnlySessionStore, SessionStore } from './state/session-store.js';
export type { SessionBytes, SessionBytesStore, SessionBytesStoreSupplier } from './state/session-bytes-store.js';
export { SessionStoreBuilder } from './state/session-store-builder.js';
export { isSessionStore, readOnlySessionStoreOf } from './state/typed-session-store.js';
export type { TimestampedWindowStore } from './state/typed-window-store.js';
export {
  isTimestampedWindowStore,
  isWindowStore,
  ReadOnlyWindowStoreFacade,
  readOnlyWindowStoreOf,
} from './state/read-only-window-store-facade.js';
export { TimestampExtractors } from './topology/timestamp-extractors.js';
export type { InvalidTimestampPolicy } from './processing/task-engine-config.js';
export { LATE_RECORD_HEADERS } from './processing/late-record.js';
export { BufferConfig, Suppressed } from './topology/dsl/suppress/suppressed.js';
export type { BufferFullStrategy, EagerBufferConfig, StrictBufferConfig } from './topology/dsl/suppress/suppressed.js';
export type { BufferLogging } from './state/suppression/suppression-buffer-store.js';
export { SuppressionBufferFullError } from './topology/dsl/suppress/suppression-buffer-full-error.js';
export type { BufferUsage } from './topology/dsl/suppress/suppression-buffer-full-error.js';
export type { EmitStrategy } from './windows/windowed-aggregate-settings.js';
export { Debezium } from './topology/cdc/debezium.js';
export type { DebeziumOptions, DebeziumTableOptions } from './topology/cdc/debezium.js';
export { DebeziumSerdes } from './topology/cdc/debezium-serdes.js';
export type { DebeziumSerdeOptions } from './topology/cdc/debezium-serdes.js';
export type { ChangeEvent, ChangeOperation, ChangeSource } from './topology/cdc/change-event.js';
export { postgresLsn } from './topology/cdc/change-position.js';
export type { ChangePositionOf } from './topology/cdc/change-position.js';
