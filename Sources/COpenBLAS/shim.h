#pragma once
#include <cblas.h>

/* OpenBLAS extensions that cblas.h declares on Debian; named here so Swift sees them. */
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
char *openblas_get_config(void);
char *openblas_get_corename(void);
