/**
 * @peculiar/x509 bound to Node's WebCrypto. The library reads decorator metadata
 * (`reflect-metadata` must load before it) and needs a crypto provider set once per process;
 * importing this module does both, so every certificate operation goes through here.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };

/** Key algorithm of every fedgate key: ECDSA on P-256 (what kubeadm uses by default too). */
export const EC_KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** Signature algorithm of every certificate and request fedgate makes. */
export const EC_SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
