// PEM exactly as OpenSSL / Python `cryptography` write it (64-column base64, trailing newline).
// sigstore-python compares base64(cert.public_bytes(PEM)) byte for byte with the `verifier` of a Rekor
// entry, so every PEM the world hands out or stores must be in this form (sigstore-js.md §4.2 defect 3).

export function toPEM(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function fromPEM(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
