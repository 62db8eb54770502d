import type { BaseOptions, SASLOptions } from '@platformatic/kafka';
import type { KafkaConnectionConfig, SaslConfig } from '../client/kafka-client.js';
import { installPromiseWithResolvers } from './promise-with-resolvers.js';

function toPlatformaticSasl({ mechanism, username, password }: SaslConfig): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism: 'PLAIN', username, password };
    case 'scram-sha-256':
      return { mechanism: 'SCRAM-SHA-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'SCRAM-SHA-512', username, password };
  }
}

/** The connection part of the options every @platformatic/kafka client of the adapter is built with. */
export function platformaticBaseOptions(connection: KafkaConnectionConfig, clientIdSuffix: string): BaseOptions {
  installPromiseWithResolvers();
  return {
    clientId: `${connection.clientId}-${clientIdSuffix}`,
    bootstrapBrokers: [...connection.bootstrapServers],
    ...tlsOptions(connection.ssl),
    ...(connection.sasl === undefined ? {} : { sasl: toPlatformaticSasl(connection.sasl) }),
  };
}

function tlsOptions(ssl: KafkaConnectionConfig['ssl']): Pick<BaseOptions, 'tls'> {
  if (ssl === undefined || ssl === false) {
    return {};
  }
  return { tls: ssl === true ? {} : ssl };
}
