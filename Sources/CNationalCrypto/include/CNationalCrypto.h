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

#endif
