/**
 * The layer rules of DESIGN.md, checked on every `npm test`.
 * Layers, bottom to top: core → state → windows → topology → processing → runtime → testing / cli; serdes (the
 * Schema Registry serdes) stand on core alone, beside state.
 * Imports only flow downward, and each third-party client stays inside its one adapter folder.
 */
const layer = (name, mayNotImport, comment) => ({
  name: `${name}-imports-downward-only`,
  comment,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: mayNotImport.map((l) => `^src/${l}/`) },
});

const onlyFrom = (pkg, folder) => ({
  name: `${pkg.replace(/^@/, '').replaceAll('/', '-')}-only-in-${folder.replaceAll('/', '-')}`,
  comment: `${pkg} is used only behind its port in src/${folder}`,
  severity: 'error',
  from: { path: '^src/', pathNot: `^src/${folder}/` },
  to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: `(^|/)node_modules/${pkg}/` },
});

module.exports = {
  forbidden: [
    layer('core', ['serdes', 'state', 'windows', 'topology', 'processing', 'runtime', 'testing', 'cli'], 'core is the bottom layer'),
    layer('serdes', ['state', 'windows', 'topology', 'processing', 'runtime', 'testing', 'cli'], 'registry serdes are serdes: they need core only'),
    layer('state', ['windows', 'topology', 'processing', 'runtime', 'testing', 'cli'], 'state sees Kafka only through its changelog port'),
    layer('windows', ['topology', 'processing', 'runtime', 'testing', 'cli'], 'windows are pure values and processors'),
    layer('topology', ['processing', 'runtime', 'testing', 'cli'], 'topology never imports the engine or the runtime'),
    layer('processing', ['runtime', 'testing', 'cli'], 'the processing engine runs tasks without Kafka: it never imports the Kafka runtime or its client'),
    layer('runtime', ['testing', 'cli'], 'nothing in src imports testing'),
    layer('testing', ['cli'], 'the test driver does not depend on the CLI'),
    {
      name: 'index-does-not-export-testing-or-cli',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: ['^src/testing/', '^src/cli/'] },
    },
    onlyFrom('kafkajs', 'runtime/kafka'),
    onlyFrom('@platformatic/kafka', 'runtime/platformatic'),
    onlyFrom('better-sqlite3', 'state/sqlite'),
    onlyFrom('commander', 'cli'),
    onlyFrom('avsc', 'serdes/avro'),
    onlyFrom('@kafkajs/confluent-schema-registry', 'serdes/avro'),
    onlyFrom('prom-client', 'runtime/metrics'),
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
