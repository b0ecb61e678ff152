#!/bin/sh
lr=$(sed 's/.*"lr":\([^,}]*\).*/\1/' "$ABLATE_CONFIG")
awk -v lr="$lr" 'BEGIN { printf "{\"step\": 1, \"loss\": %g}\n", 1 / (1 + lr) }' >> "$ABLATE_METRICS"
