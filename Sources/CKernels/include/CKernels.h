#ifndef CKERNELS_H
#define CKERNELS_H

#include <stdint.h>

/// The engine's element-wise and row kernels in C, so that the compiler may vectorize their
/// reductions and, on x86-64 CPUs that have them, use AVX2 and FMA (chosen once at load time).
/// Every function works on one contiguous range; the caller splits work across threads.

/// y = x * Phi(x), the erf form of GELU.
void ak_gelu(const float *x, float *y, long n);
/// dx += g * GELU'(x).
void ak_gelu_backward(const float *x, const float *g, float *dx, long n);

/// v = softmax(v) over one row of n.
void ak_softmax(float *v, long n);
/// out (+)= y * (g - <y, g>) for one row of a softmax output y; out may alias g when !accumulate.
void ak_softmax_backward(const float *y, const float *g, float *out, long n, int accumulate);

/// One row of layer normalization; writes mean and 1/std to stats[0], stats[1].
void ak_layernorm(const float *x, float *y, const float *gamma, const float *beta, long d, float epsilon,
                  float *stats);
/// dx += the input gradient of one layer-normalized row, given its output gradient g.
void ak_layernorm_backward(const float *x, const float *g, const float *gamma, float mean, float rstd,
                           float *dx, long d);

/// One AdamW (decay > 0, l2 = 0) or Adam with L2 (l2 > 0, decay = 0) update over n parameters.
void ak_adamw(float *w, const float *g, float *m, float *v, long n, float beta1, float beta2, float l2,
              float decay, float step_size, float inv_sqrt_c2, float epsilon);

/// Dropout mask pairs [first_pair, first_pair + pairs) of a mask of count values: SplitMix64 of
/// key + pair index, each half a 32-bit uniform compared with threshold (0 if below, else keep).
void ak_dropout_mask(float *m, long first_pair, long pairs, long count, uint64_t key, uint64_t threshold,
                     float keep);

#endif
