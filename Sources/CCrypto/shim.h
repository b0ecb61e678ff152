#pragma once
/* The system's libcrypto (OpenSSL 3) for SHA-256 only. The SHA256_* calls are plain C structs and
   functions with no allocation; OpenSSL 3 marks them deprecated in favour of EVP, which allocates. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
