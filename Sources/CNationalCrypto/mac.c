// HMAC-SM3, PBKDF2-HMAC-SM3 and randomness through OpenSSL 3.
#include "CNationalCrypto.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <limits.h>

int yiye_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t mac[32]) {
    unsigned int out = 0;
    if (key_length > INT_MAX) return 0;
    if (HMAC(EVP_sm3(), key, (int)key_length, data, length, mac, &out) == NULL) return 0;
    return out == 32;
}

int yiye_pbkdf2_sm3(const uint8_t *password, size_t password_length, const uint8_t *salt, size_t salt_length,
                    uint32_t iterations, uint8_t *out, size_t out_length) {
    if (password_length > INT_MAX || salt_length > INT_MAX || out_length > INT_MAX) return 0;
    if (iterations == 0 || iterations > INT_MAX) return 0;
    return PKCS5_PBKDF2_HMAC((const char *)password, (int)password_length, salt, (int)salt_length,
                             (int)iterations, EVP_sm3(), (int)out_length, out) == 1;
}

int yiye_random_bytes(uint8_t *out, size_t length) {
    if (length > INT_MAX) return 0;
    return RAND_bytes(out, (int)length) == 1;
}
