#include "CKernels.h"

#include <stdint.h>
#include <string.h>

// One build serves every x86-64 CPU: each kernel is compiled twice (kernels_body.h), for AVX2+FMA and
// for the baseline, and the first call picks the copy the CPU can run. Reassociation lets the
// compiler vectorize the row sums; the result is deterministic for a given CPU.
#define FAST _Pragma("clang fp reassociate(on) contract(fast)")

static const float inv_sqrt2 = 0.70710678118654752f;
static const float inv_sqrt2pi = 0.39894228040143268f;

/// exp(x) by Cody-Waite range reduction and a degree-6 polynomial (relative error < 2e-7); no libm
/// call, so loops over it vectorize.
static inline float fast_exp(float x) {
  float xc = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  // Adding 1.5 * 2^23 rounds to an integer held in the low mantissa bits.
  float big = xc * 1.442695041f + 12582912.0f;
  float n = big - 12582912.0f;
  float r = (xc - n * 0.693145751953125f) - n * 1.428606765330187e-6f;
  float p = 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  uint32_t b;
  memcpy(&b, &big, sizeof b);
  uint32_t bits = (b - 0x4B400000u + 127u) << 23;
  float scale;
  memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

/// erf(z) by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), given gauss = exp(-z^2).
static inline float erf_with(float z, float gauss) {
  float a = z < 0 ? -z : z;
  float t = 1.0f / (1.0f + 0.3275911f * a);
  float y = 1.061405429f;
  y = y * t - 1.453152027f;
  y = y * t + 1.421413741f;
  y = y * t - 0.284496736f;
  y = y * t + 0.254829592f;
  float e = 1.0f - y * t * gauss;
  return z < 0 ? -e : e;
}

#define NAME(f) ak_##f##_base
#define ATTR
#include "kernels_body.h"
#undef NAME
#undef ATTR

#if defined(__x86_64__)
#define NAME(f) ak_##f##_avx2
#define ATTR __attribute__((target("avx2,fma")))
#include "kernels_body.h"
#undef NAME
#undef ATTR

// Read once at load time, before any thread can call a kernel.
static int has_avx2_fma;
__attribute__((constructor)) static void detect_cpu(void) {
  __builtin_cpu_init();
  has_avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#define PICK(f) (has_avx2_fma ? ak_##f##_avx2 : ak_##f##_base)
#else
#define PICK(f) ak_##f##_base
#endif

void ak_gelu(const float *x, float *y, long n) { PICK(gelu)(x, y, n); }

void ak_gelu_backward(const float *x, const float *g, float *dx, long n) { PICK(gelu_backward)(x, g, dx, n); }

void ak_softmax(float *v, long n) { PICK(softmax)(v, n); }

void ak_softmax_backward(const float *y, const float *g, float *out, long n, int accumulate) {
  PICK(softmax_backward)(y, g, out, n, accumulate);
}

void ak_layernorm(const float *x, float *y, const float *gamma, const float *beta, long d, float epsilon,
                  float *stats) {
  PICK(layernorm)(x, y, gamma, beta, d, epsilon, stats);
}

void ak_layernorm_backward(const float *x, const float *g, const float *gamma, float mean, float rstd,
                           float *dx, long d) {
  PICK(layernorm_backward)(x, g, gamma, mean, rstd, dx, d);
}

void ak_adamw(float *w, const float *g, float *m, float *v, long n, float beta1, float beta2, float l2,
              float decay, float step_size, float inv_sqrt_c2, float epsilon) {
  PICK(adamw)(w, g, m, v, n, beta1, beta2, l2, decay, step_size, inv_sqrt_c2, epsilon);
}

void ak_dropout_mask(float *m, long first_pair, long pairs, long count, uint64_t key, uint64_t threshold,
                     float keep) {
  PICK(dropout_mask)(m, first_pair, pairs, count, key, threshold, keep);
}
