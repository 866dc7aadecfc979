// SM4 (GB/T 32907) in CBC mode with PKCS#7 padding, through OpenSSL 3.
#include "CNationalCrypto.h"
#include <openssl/evp.h>
#include <limits.h>

static int sm4_cbc(int encrypt, const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t length,
                   uint8_t *out, size_t *out_length) {
    if (length > INT_MAX - 16) return 0;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) return 0;
    int ok = 0, written = 0, last = 0;
    if (EVP_CipherInit_ex(ctx, EVP_sm4_cbc(), NULL, key, iv, encrypt) == 1
        && EVP_CipherUpdate(ctx, out, &written, in, (int)length) == 1
        && EVP_CipherFinal_ex(ctx, out + written, &last) == 1) {
        *out_length = (size_t)written + (size_t)last;
        ok = 1;
    }
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

int yiye_sm4_cbc_encrypt(const uint8_t key[16], const uint8_t iv[16], const uint8_t *plaintext, size_t length,
                         uint8_t *ciphertext, size_t *ciphertext_length) {
    return sm4_cbc(1, key, iv, plaintext, length, ciphertext, ciphertext_length);
}

int yiye_sm4_cbc_decrypt(const uint8_t key[16], const uint8_t iv[16], const uint8_t *ciphertext, size_t length,
                         uint8_t *plaintext, size_t *plaintext_length) {
    if (length == 0 || length % 16 != 0) return 0;
    return sm4_cbc(0, key, iv, ciphertext, length, plaintext, plaintext_length);
}
