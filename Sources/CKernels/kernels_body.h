// The kernels' bodies, included twice by kernels.c: once compiled for AVX2+FMA, once for any x86-64
// (or the host CPU elsewhere). NAME(f) gives each copy its own symbol; ATTR its target.
// clang-format off

static ATTR void NAME(gelu)(const float *x, float *y, long n) {
  FAST
  for (long i = 0; i < n; i++) {
    float z = x[i] * inv_sqrt2;
    y[i] = 0.5f * x[i] * (1.0f + erf_with(z, fast_exp(-z * z)));
  }
}

static ATTR void NAME(gelu_backward)(const float *x, const float *g, float *dx, long n) {
  FAST
  for (long i = 0; i < n; i++) {
    float z = x[i] * inv_sqrt2;
    float gauss = fast_exp(-z * z);
    dx[i] += g[i] * (0.5f * (1.0f + erf_with(z, gauss)) + x[i] * inv_sqrt2pi * gauss);
  }
}

static ATTR void NAME(softmax)(float *v, long n) {
  FAST
  if (n <= 0) return;
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

static ATTR void NAME(softmax_backward)(const float *y, const float *g, float *out, long n, int accumulate) {
  FAST
  float dot = 0;
  for (long j = 0; j < n; j++) dot += y[j] * g[j];
  if (accumulate) {
    for (long j = 0; j < n; j++) out[j] += y[j] * (g[j] - dot);
  } else {
    for (long j = 0; j < n; j++) out[j] = y[j] * (g[j] - dot);
  }
}

static ATTR void NAME(layernorm)(const float *x, float *y, const float *gamma, const float *beta, long d, float epsilon,
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

static ATTR void NAME(layernorm_backward)(const float *x, const float *g, const float *gamma, float mean, float rstd,
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

static ATTR void NAME(adamw)(float *w, const float *g, float *m, float *v, long n, float beta1, float beta2, float l2,
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

static inline uint64_t NAME(splitmix)(uint64_t key, uint64_t j) {
  uint64_t z = key + j * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static ATTR void NAME(dropout_mask)(float *m, long first_pair, long pairs, long count, uint64_t key,
                                    uint64_t threshold, float keep) {
  long end = first_pair + pairs;
  long whole = end < count / 2 ? end : count / 2;  // pairs with both halves inside the mask
  for (long j = first_pair; j < whole; j++) {
    uint64_t z = NAME(splitmix)(key, (uint64_t)j);
    m[2 * j] = (z >> 32) < threshold ? 0.0f : keep;
    m[2 * j + 1] = (z & 0xFFFFFFFFull) < threshold ? 0.0f : keep;
  }
  for (long j = whole > first_pair ? whole : first_pair; j < end; j++) {  // the odd last value
    uint64_t z = NAME(splitmix)(key, (uint64_t)j);
    m[2 * j] = (z >> 32) < threshold ? 0.0f : keep;
  }
}
