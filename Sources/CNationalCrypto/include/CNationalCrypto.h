#ifndef CNATIONALCRYPTO_H
#define CNATIONALCRYPTO_H

#include <stddef.h>
#include <stdint.h>

/// SM3 (GB/T 32905) of `length` bytes at `data` into `digest` (32 bytes). Returns 1 on success, 0 on failure.
int yiye_sm3(const uint8_t *data, size_t length, uint8_t digest[32]);

/// Incremental SM3, for hashing files and streams without holding them in memory.
typedef struct yiye_sm3_ctx yiye_sm3_ctx;
yiye_sm3_ctx *yiye_sm3_new(void);
int yiye_sm3_update(yiye_sm3_ctx *ctx, const uint8_t *data, size_t length);
int yiye_sm3_final(yiye_sm3_ctx *ctx, uint8_t digest[32]);
void yiye_sm3_free(yiye_sm3_ctx *ctx);
/// SM3 of (what `prefix` absorbed) + `data`, using `work` as scratch: the prefix's blocks are not hashed again.
int yiye_sm3_with_prefix(const yiye_sm3_ctx *prefix, yiye_sm3_ctx *work, const uint8_t *data, size_t length,
                         uint8_t digest[32]);

/// HMAC-SM3 of `data` under `key` into `mac` (32 bytes). Returns 1 on success.
int yiye_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t mac[32]);

/// PBKDF2 (RFC 8018) with HMAC-SM3. Returns 1 on success.
int yiye_pbkdf2_sm3(const uint8_t *password, size_t password_length, const uint8_t *salt, size_t salt_length,
                    uint32_t iterations, uint8_t *out, size_t out_length);

/// `length` bytes from OpenSSL's CSPRNG. Returns 1 on success.
int yiye_random_bytes(uint8_t *out, size_t length);

/// SM4-CBC with PKCS#7 padding under a 16-byte key and IV. `ciphertext` must hold `length + 16` bytes, `plaintext`
/// `length` bytes; the written length goes to `*..._length`. Returns 1 on success; decryption returns 0 on a length
/// that is not a whole number of blocks or on bad padding.
int yiye_sm4_cbc_encrypt(const uint8_t key[16], const uint8_t iv[16], const uint8_t *plaintext, size_t length,
                         uint8_t *ciphertext, size_t *ciphertext_length);
int yiye_sm4_cbc_decrypt(const uint8_t key[16], const uint8_t iv[16], const uint8_t *ciphertext, size_t length,
                         uint8_t *plaintext, size_t *plaintext_length);

/// An SM2 key (private, or public only), owned by the caller; free with `yiye_sm2_free`.
typedef struct yiye_sm2_key yiye_sm2_key;

yiye_sm2_key *yiye_sm2_generate(void);
yiye_sm2_key *yiye_sm2_private_from_pem(const char *pem, size_t length);
yiye_sm2_key *yiye_sm2_public_from_pem(const char *pem, size_t length);
/// PEM text of the private (PKCS#8) or public (SubjectPublicKeyInfo) key; free `*out` with `yiye_free`.
int yiye_sm2_private_pem(const yiye_sm2_key *key, char **out, size_t *out_length);
int yiye_sm2_public_pem(const yiye_sm2_key *key, char **out, size_t *out_length);
/// SM2 signature (DER, at most 80 bytes) over `message` with SM3 and the distinguishing `id`.
int yiye_sm2_sign(const yiye_sm2_key *key, const uint8_t *id, size_t id_length, const uint8_t *message,
                  size_t length, uint8_t *signature, size_t *signature_length);
/// 1 when `signature` is valid for `message` under `id`, else 0 (a malformed signature is simply not valid).
int yiye_sm2_verify(const yiye_sm2_key *key, const uint8_t *id, size_t id_length, const uint8_t *message,
                    size_t length, const uint8_t *signature, size_t signature_length);
void yiye_sm2_free(yiye_sm2_key *key);
void yiye_free(void *pointer);

#endif
