import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The SASL users and TLS material of a broker started with `security: true`: a SASL_PLAINTEXT listener (PLAIN and
 * SCRAM-SHA-512) and an SSL listener whose certificate a CA made here signed. Development and test credentials
 * only: they are fixed so that tests and `kafka:start --security` print the same ones.
 */
export const SASL_USER = { username: 'kstreams', password: 'kstreams-secret' } as const;

export interface BrokerTls {
  /** PKCS12 keystore with the broker's key, its certificate and the CA's. */
  readonly keystoreFile: string;
  readonly keystorePassword: string;
  /** The CA's certificate in PEM, which clients trust. */
  readonly caFile: string;
}

const VALIDITY_DAYS = '30';

/**
 * Makes a CA and a broker certificate for 127.0.0.1 and localhost, signed by it, with the JDK's keytool (the broker
 * needs a JDK anyway; no openssl needed). A second of work; made again for every fresh broker.
 */
export function makeBrokerTls(dir: string): BrokerTls {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const password = 'kstreams-keystore';
  const ca = join(dir, 'ca.p12');
  const keystoreFile = join(dir, 'broker.p12');
  const caFile = join(dir, 'ca.pem');
  const csr = join(dir, 'broker.csr');
  const signed = join(dir, 'broker.pem');
  const store = (file: string) => ['-keystore', file, '-storetype', 'PKCS12', '-storepass', password];
  keytool(['-genkeypair', '-alias', 'ca', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=kstreams local test CA', '-ext', 'bc:c', '-validity', VALIDITY_DAYS, ...store(ca), '-keypass', password]);
  keytool(['-exportcert', '-rfc', '-alias', 'ca', '-file', caFile, ...store(ca)]);
  keytool(['-genkeypair', '-alias', 'broker', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=localhost', '-validity', VALIDITY_DAYS, ...store(keystoreFile), '-keypass', password]);
  keytool(['-certreq', '-alias', 'broker', '-file', csr, ...store(keystoreFile)]);
  keytool(['-gencert', '-alias', 'ca', '-infile', csr, '-outfile', signed, '-rfc', '-ext', 'SAN=dns:localhost,ip:127.0.0.1', '-validity', VALIDITY_DAYS, ...store(ca)]);
  keytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', caFile, ...store(keystoreFile)]);
  keytool(['-importcert', '-noprompt', '-alias', 'broker', '-file', signed, ...store(keystoreFile)]);
  return { keystoreFile, keystorePassword: password, caFile };
}

function keytool(args: readonly string[]): void {
  try {
    execFileSync('keytool', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const output = (error as { stderr?: Buffer; stdout?: Buffer }).stderr?.toString() || (error as { stdout?: Buffer }).stdout?.toString() || String(error);
    throw new Error(`keytool ${args[0]} failed: ${output.trim()}`);
  }
}

/** Broker settings of the two secured listeners (names as in `listeners`). */
export function securityProperties(tls: BrokerTls): Array<[string, string]> {
  const plainUsers = `user_${SASL_USER.username}="${SASL_USER.password}"`;
  return [
    ['sasl.enabled.mechanisms', 'PLAIN,SCRAM-SHA-512'],
    ['listener.name.sasl_plaintext.plain.sasl.jaas.config', `org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`],
    ['listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config', 'org.apache.kafka.common.security.scram.ScramLoginModule required;'],
    ['listener.name.ssl.ssl.keystore.type', 'PKCS12'],
    ['listener.name.ssl.ssl.keystore.location', tls.keystoreFile],
    ['listener.name.ssl.ssl.keystore.password', tls.keystorePassword],
    ['listener.name.ssl.ssl.key.password', tls.keystorePassword],
    ['listener.name.ssl.ssl.client.auth', 'none'],
  ];
}

/** `kafka-storage format` adds the SCRAM credential before the broker first starts (KRaft keeps it in its metadata). */
export function scramFormatArguments(): string[] {
  return ['--add-scram', `SCRAM-SHA-512=[name=${SASL_USER.username},password=${SASL_USER.password}]`];
}
