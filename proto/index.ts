/**
 * proto: the gateway ⇄ member protocol (`fedgate.proto`), its generated message classes
 * (`npm run proto`; never edited by hand, a test checks they are fresh) and the grpc-js
 * service definition built from them.
 *
 * ```ts
 * import { federationService, FederationClient, fedgate } from '../proto/index.js';
 * server.addService(federationService, { register, connect, renew });
 * const client = new FederationClient('127.0.0.1:7443', credentials);
 * const hello = fedgate.v1.MemberMessage.create({ hello: { clusterName: 'eu-west' } });
 * ```
 */
import { createHash, X509Certificate } from 'node:crypto';
import { makeGenericClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { fedgate } from './generated/fedgate.js';

export { fedgate };

/** Message types of the protocol. */
export type RegisterRequest = fedgate.v1.RegisterRequest;
export type RegisterResponse = fedgate.v1.RegisterResponse;
export type RenewRequest = fedgate.v1.RenewRequest;
export type RenewResponse = fedgate.v1.RenewResponse;
export type GatewayMessage = fedgate.v1.GatewayMessage;
export type MemberMessage = fedgate.v1.MemberMessage;
export type ObjectRefMessage = fedgate.v1.IObjectRef;
export type HeartbeatMessage = fedgate.v1.IHeartbeat;

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(reader: Uint8Array): T;
}

function serializer<T>(codec: Codec<T>): (value: T) => Buffer {
  return (value) => Buffer.from(codec.encode(value).finish());
}

function deserializer<T>(codec: Codec<T>): (bytes: Buffer) => T {
  return (bytes) => codec.decode(bytes);
}

/** The `fedgate.v1.Federation` service for grpc-js, from the generated codecs. */
export const federationService = {
  register: {
    path: '/fedgate.v1.Federation/Register',
    requestStream: false,
    responseStream: false,
    requestSerialize: serializer<RegisterRequest>(fedgate.v1.RegisterRequest),
    requestDeserialize: deserializer<RegisterRequest>(fedgate.v1.RegisterRequest),
    responseSerialize: serializer<RegisterResponse>(fedgate.v1.RegisterResponse),
    responseDeserialize: deserializer<RegisterResponse>(fedgate.v1.RegisterResponse),
  },
  connect: {
    path: '/fedgate.v1.Federation/Connect',
    requestStream: true,
    responseStream: true,
    requestSerialize: serializer<MemberMessage>(fedgate.v1.MemberMessage),
    requestDeserialize: deserializer<MemberMessage>(fedgate.v1.MemberMessage),
    responseSerialize: serializer<GatewayMessage>(fedgate.v1.GatewayMessage),
    responseDeserialize: deserializer<GatewayMessage>(fedgate.v1.GatewayMessage),
  },
  renew: {
    path: '/fedgate.v1.Federation/Renew',
    requestStream: false,
    responseStream: false,
    requestSerialize: serializer<RenewRequest>(fedgate.v1.RenewRequest),
    requestDeserialize: deserializer<RenewRequest>(fedgate.v1.RenewRequest),
    responseSerialize: serializer<RenewResponse>(fedgate.v1.RenewResponse),
    responseDeserialize: deserializer<RenewResponse>(fedgate.v1.RenewResponse),
  },
} satisfies ServiceDefinition;

/** A grpc-js client class of the Federation service (`register`, `connect`, `renew`). */
export const FederationClient = makeGenericClientConstructor(federationService, 'Federation');

/**
 * `sha256:<hex>` of a certificate's SubjectPublicKeyInfo: how a member pins the gateway's CA
 * before it sends its bootstrap token (`--ca-hash`), as kubeadm's
 * `--discovery-token-ca-cert-hash` (openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum).
 */
export function caCertHash(certPem: string | Buffer): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}
export { GrpcMessageStream, type DuplexCall } from './grpc-message-stream.js';
