namespace Shoal.Protocol;

/// <summary>
/// The signature algorithm of a live swarm, as a DNSSEC algorithm number (RFC 7574 §7.7; IANA "DNS Security
/// Algorithm Numbers"). Only the algorithms whose signature length is fixed are named here.
/// </summary>
public enum LiveSignatureAlgorithm : byte
{
    /// <summary>RSA/SHA-1 (RFC 4034): mandatory in the RFC; signature length = modulus length, so not fixed.</summary>
    RsaSha1 = 5,

    /// <summary>ECDSA P-256/SHA-256 (RFC 6605): the RFC's default; 64-byte signatures.</summary>
    EcdsaP256Sha256 = 13,

    /// <summary>ECDSA P-384/SHA-384 (RFC 6605): 96-byte signatures.</summary>
    EcdsaP384Sha384 = 14,

    /// <summary>Ed25519 (RFC 8080): Shoal's choice (NSec); 64-byte signatures.</summary>
    Ed25519 = 15,

    /// <summary>Ed448 (RFC 8080): 114-byte signatures.</summary>
    Ed448 = 16,
}
