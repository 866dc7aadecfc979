// SM2 (GB/T 32918) key generation, PEM import/export, sign and verify with SM3 through OpenSSL 3.
//
// OpenSSL 3.0 computes the SM2 Z value from a distinguishing ID that must be set on the EVP_PKEY_CTX with
// EVP_PKEY_CTX_set1_id before the digest-sign/verify init: passing it as a parameter is silently ignored there.
#include "CNationalCrypto.h"
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <string.h>

struct yiye_sm2_key {
    EVP_PKEY *pkey;
};

static yiye_sm2_key *wrap(EVP_PKEY *pkey) {
    if (pkey == NULL) return NULL;
    yiye_sm2_key *key = OPENSSL_malloc(sizeof(yiye_sm2_key));
    if (key == NULL) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    key->pkey = pkey;
    return key;
}

yiye_sm2_key *yiye_sm2_generate(void) {
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    if (ctx == NULL) return NULL;
    if (EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_generate(ctx, &pkey) != 1) pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return wrap(pkey);
}

static int is_sm2(const EVP_PKEY *pkey) {
    return pkey != NULL && EVP_PKEY_is_a(pkey, "SM2");
}

yiye_sm2_key *yiye_sm2_private_from_pem(const char *pem, size_t length) {
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return NULL;
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (!is_sm2(pkey)) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return wrap(pkey);
}

yiye_sm2_key *yiye_sm2_public_from_pem(const char *pem, size_t length) {
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return NULL;
    EVP_PKEY *pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (!is_sm2(pkey)) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return wrap(pkey);
}

static int bio_to_string(BIO *bio, char **out, size_t *out_length) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    if (length <= 0) return 0;
    *out = OPENSSL_malloc((size_t)length + 1);
    if (*out == NULL) return 0;
    memcpy(*out, data, (size_t)length);
    (*out)[length] = 0;
    *out_length = (size_t)length;
    return 1;
}

int yiye_sm2_private_pem(const yiye_sm2_key *key, char **out, size_t *out_length) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    int ok = PEM_write_bio_PrivateKey(bio, key->pkey, NULL, NULL, 0, NULL, NULL) == 1
        && bio_to_string(bio, out, out_length);
    BIO_free(bio);
    return ok;
}

int yiye_sm2_public_pem(const yiye_sm2_key *key, char **out, size_t *out_length) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    int ok = PEM_write_bio_PUBKEY(bio, key->pkey) == 1 && bio_to_string(bio, out, out_length);
    BIO_free(bio);
    return ok;
}

/// A digest context bound to `key` with the SM2 ID set on its key context.
static EVP_MD_CTX *sm2_context(const yiye_sm2_key *key, const uint8_t *id, size_t id_length, int sign) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new(key->pkey, NULL);
    if (md == NULL || pctx == NULL) goto fail;
    if (EVP_PKEY_CTX_set1_id(pctx, id, id_length) != 1) goto fail;
    EVP_MD_CTX_set_pkey_ctx(md, pctx);
    int ok = sign ? EVP_DigestSignInit(md, NULL, EVP_sm3(), NULL, key->pkey)
                  : EVP_DigestVerifyInit(md, NULL, EVP_sm3(), NULL, key->pkey);
    if (ok != 1) {
        EVP_MD_CTX_free(md);
        EVP_PKEY_CTX_free(pctx);
        return NULL;
    }
    return md;  // md does not own pctx (set_pkey_ctx); freed together in release()
fail:
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
    return NULL;
}

static void release(EVP_MD_CTX *md) {
    EVP_PKEY_CTX *pctx = EVP_MD_CTX_get_pkey_ctx(md);
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
}

int yiye_sm2_sign(const yiye_sm2_key *key, const uint8_t *id, size_t id_length, const uint8_t *message,
                  size_t length, uint8_t *signature, size_t *signature_length) {
    EVP_MD_CTX *md = sm2_context(key, id, id_length, 1);
    if (md == NULL) return 0;
    int ok = EVP_DigestSign(md, signature, signature_length, message, length) == 1;
    release(md);
    return ok;
}

int yiye_sm2_verify(const yiye_sm2_key *key, const uint8_t *id, size_t id_length, const uint8_t *message,
                    size_t length, const uint8_t *signature, size_t signature_length) {
    EVP_MD_CTX *md = sm2_context(key, id, id_length, 0);
    if (md == NULL) return 0;
    int result = EVP_DigestVerify(md, signature, signature_length, message, length);
    release(md);
    return result == 1;
}

void yiye_sm2_free(yiye_sm2_key *key) {
    if (key == NULL) return;
    EVP_PKEY_free(key->pkey);
    OPENSSL_free(key);
}

void yiye_free(void *pointer) {
    OPENSSL_free(pointer);
}
