// SM3 through OpenSSL 3's EVP interface. The digest is fetched once per context; OpenSSL caches the fetch.
#include "CNationalCrypto.h"
#include <openssl/evp.h>

struct yiye_sm3_ctx {
    EVP_MD_CTX *md;
};

int yiye_sm3(const uint8_t *data, size_t length, uint8_t digest[32]) {
    unsigned int out = 0;
    const EVP_MD *md = EVP_sm3();
    if (md == NULL) return 0;
    if (EVP_Digest(data, length, digest, &out, md, NULL) != 1) return 0;
    return out == 32;
}

yiye_sm3_ctx *yiye_sm3_new(void) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md == NULL) return NULL;
    if (EVP_DigestInit_ex(md, EVP_sm3(), NULL) != 1) {
        EVP_MD_CTX_free(md);
        return NULL;
    }
    yiye_sm3_ctx *ctx = OPENSSL_malloc(sizeof(yiye_sm3_ctx));
    if (ctx == NULL) {
        EVP_MD_CTX_free(md);
        return NULL;
    }
    ctx->md = md;
    return ctx;
}

int yiye_sm3_update(yiye_sm3_ctx *ctx, const uint8_t *data, size_t length) {
    return EVP_DigestUpdate(ctx->md, data, length) == 1;
}

int yiye_sm3_final(yiye_sm3_ctx *ctx, uint8_t digest[32]) {
    unsigned int out = 0;
    if (EVP_DigestFinal_ex(ctx->md, digest, &out) != 1) return 0;
    return out == 32;
}

int yiye_sm3_with_prefix(const yiye_sm3_ctx *prefix, yiye_sm3_ctx *work, const uint8_t *data, size_t length,
                         uint8_t digest[32]) {
    unsigned int out = 0;
    if (EVP_MD_CTX_copy_ex(work->md, prefix->md) != 1) return 0;
    if (EVP_DigestUpdate(work->md, data, length) != 1) return 0;
    if (EVP_DigestFinal_ex(work->md, digest, &out) != 1) return 0;
    return out == 32;
}

void yiye_sm3_free(yiye_sm3_ctx *ctx) {
    if (ctx == NULL) return;
    EVP_MD_CTX_free(ctx->md);
    OPENSSL_free(ctx);
}
