/**
 * Authenticates a verified TLS client certificate, as kube-apiserver's x509 authenticator
 * does with CommonNameUserConversion: the subject's CN is the user, each O a group. The TLS
 * layer has already verified the chain against the gateway CA; a certificate without a CN
 * names no one and is not taken.
 */
import type { AuthnRequest, AuthnResult, Authenticator } from '../apimachinery/index.js';
import { CREDENTIAL_ID_EXTRA } from './token-authenticator.js';

/** Maps a verified client certificate's subject to a user. */
export class ClientCertificateAuthenticator implements Authenticator {
  async authenticate(req: AuthnRequest): Promise<AuthnResult> {
    const cert = req.clientCertificate;
    if (!cert || typeof cert.commonName !== 'string' || cert.commonName === '') return null;
    const groups = Array.isArray(cert.organizations) ? cert.organizations.filter((o) => typeof o === 'string' && o !== '') : [];
    const user: { username: string; groups: string[]; extra?: Record<string, string[]> } = { username: cert.commonName, groups: [...new Set(groups)] };
    if (cert.serialNumber) user.extra = { [CREDENTIAL_ID_EXTRA]: [`X509SN=${cert.serialNumber}`] };
    return { user };
  }
}
