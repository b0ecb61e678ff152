#include "CKernels.h"

#include <stdint.h>
#include <string.h>

// One build serves every x86-64 CPU: each kernel is compiled twice and the loader picks the
// AVX2+FMA copy when the CPU has it. Reassociation lets the compiler vectorize the row sums.
#if defined(__x86_64__) && defined(__ELF__)
#define KERNEL __attribute__((target_clones("arch=haswell", "default")))
#else
#define KERNEL
#endif
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

KERNEL void ak_gelu(const float *x, float *y, long n) {
  FAST
  for (long i = 0; i < n; i++) {
    float z = x[i] * inv_sqrt2;
    y[i] = 0.5f * x[i] * (1.0f + erf_with(z, fast_exp(-z * z)));
  }
}

KERNEL void ak_gelu_backward(const float *x, const float *g, float *dx, long n) {
  FAST
  for (long i = 0; i < n; i++) {
    float z = x[i] * inv_sqrt2;
    float gauss = fast_exp(-z * z);
    dx[i] += g[i] * (0.5f * (1.0f + erf_with(z, gauss)) + x[i] * inv_sqrt2pi * gauss);
  }
}

KERNEL void ak_softmax(float *v, long n) {
  FAST
  float m = v[0];
  for (long j = 1; j < n; j++) m = v[j] > m ? v[j] : m;
  float s = 0;
  for (long j = 0; j < n; j++) {
    float e = fast_exp(v[j] - m);
    v[j] = e;
    s += e;
  }
  float inv = 1.0f / s;
  for (long j = 0; j < n; j++) v[j] *= inv;
}

KERNEL void ak_softmax_backward(const float *y, const float *g, float *out, long n, int accumulate) {
  FAST
  float dot = 0;
  for (long j = 0; j < n; j++) dot += y[j] * g[j];
  if (accumulate) {
    for (long j = 0; j < n; j++) out[j] += y[j] * (g[j] - dot);
  } else {
    for (long j = 0; j < n; j++) out[j] = y[j] * (g[j] - dot);
  }
}

KERNEL void ak_layernorm(const float *x, float *y, const float *gamma, const float *beta, long d, float epsilon,
                         float *stats) {
  FAST
  float mean = 0;
  for (long j = 0; j < d; j++) mean += x[j];
  mean /= (float)d;
  float var = 0;
  for (long j = 0; j < d; j++) var += (x[j] - mean) * (x[j] - mean);
  float rstd = 1.0f / __builtin_sqrtf(var / (float)d + epsilon);
  stats[0] = mean;
  stats[1] = rstd;
  for (long j = 0; j < d; j++) y[j] = (x[j] - mean) * rstd * gamma[j] + beta[j];
}

KERNEL void ak_layernorm_backward(const float *x, const float *g, const float *gamma, float mean, float rstd,
                                  float *dx, long d) {
  FAST
  float sum_dh = 0, sum_dh_xhat = 0;
  for (long j = 0; j < d; j++) {
    float dh = g[j] * gamma[j];
    sum_dh += dh;
    sum_dh_xhat += dh * (x[j] - mean) * rstd;
  }
  sum_dh /= (float)d;
  sum_dh_xhat /= (float)d;
  for (long j = 0; j < d; j++) {
    float xhat = (x[j] - mean) * rstd;
    dx[j] += rstd * (g[j] * gamma[j] - sum_dh - xhat * sum_dh_xhat);
  }
}

KERNEL void ak_adamw(float *w, const float *g, float *m, float *v, long n, float beta1, float beta2, float l2,
                     float decay, float step_size, float inv_sqrt_c2, float epsilon) {
  FAST
  for (long i = 0; i < n; i++) {
    float gi = g[i] + l2 * w[i];
    float wi = w[i] - decay * w[i];
    float mi = beta1 * m[i] + (1.0f - beta1) * gi;
    float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - step_size * mi / (__builtin_sqrtf(vi) * inv_sqrt_c2 + epsilon);
  }
}
