#!/usr/bin/env bash
# Fetches WordLlama's pretrained word embeddings (MIT licence; a 16 MB f16 token table of 32,000 × 256
# and its Llama tokenizer) from PyPI into a folder for `triage train --embeddings` and
# `triage.embeddings`. Usage: config/triage/fetch-wordllama.sh [FOLDER] (default: wordllama).
set -euo pipefail
out="${1:-wordllama}"
wheel_dir="$(mktemp -d)"
trap 'rm -rf "$wheel_dir"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: wordllama==0.4.0.post1 -d "$wheel_dir"
mkdir -p "$out"
python3 - "$wheel_dir" "$out" <<'PY'
import pathlib, sys, zipfile
wheel = next(pathlib.Path(sys.argv[1]).glob("wordllama-*.whl"))
with zipfile.ZipFile(wheel) as z:
    for name in ("wordllama/weights/l2_supercat_256.safetensors", "wordllama/tokenizers/l2_supercat_tokenizer_config.json"):
        (pathlib.Path(sys.argv[2]) / pathlib.Path(name).name).write_bytes(z.read(name))
PY
echo "WordLlama embeddings in $out"
