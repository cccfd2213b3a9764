#!/usr/bin/env bash
# Rebuilds the built-in triage model (config/triage/model.json) byte for byte from the data shipped
# beside it: the SaaS examples (generated and hand-written), tickets about other kinds of product,
# banking77's real customer messages and HWU64's real off-topic messages, with the shipped word
# vectors (config/vectors/wordllama, compiled into opsdesk) beside the n-grams.
# Usage: config/triage/build-model.sh  (set OPSDESK to an opsdesk binary to skip `cargo run`).
set -euo pipefail
cd "$(dirname "$0")/../.."
data="$(mktemp)"
trap 'rm -f "$data"' EXIT
cat config/triage/examples.jsonl config/triage/written.jsonl config/triage/products.jsonl \
  config/triage/data/banking77-train.jsonl \
  config/triage/data/hwu64-none.jsonl > "$data"
${OPSDESK:-cargo run --release --quiet --} triage train --data "$data" \
  --out config/triage/model.json --min-df 5 --embeddings config/vectors/wordllama
