"""Builds config/vectors/wordllama from the WordLlama wheel on PyPI (MIT licence).

The token table (32,000 tokens x 256 dimensions, f16 in the wheel) is stored as int8 with one f32
scale per row (row = int8 * scale), which halves it to 8 MB; rankings are unchanged (docs/kb.md).

    pip install numpy safetensors && python3 config/vectors/build.py
"""
import glob, os, subprocess, sys, tempfile, zipfile

import numpy as np
from safetensors.numpy import load_file, save_file

VERSION = "0.4.0.post1"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wordllama")

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.11", "-d", tmp, f"wordllama=={VERSION}"], check=True)
    wheel = zipfile.ZipFile(glob.glob(os.path.join(tmp, "wordllama-*.whl"))[0])
    wheel.extract("wordllama/weights/l2_supercat_256.safetensors", tmp)
    tokenizer = wheel.read("wordllama/tokenizers/l2_supercat_tokenizer_config.json")
    table = load_file(os.path.join(tmp, "wordllama/weights/l2_supercat_256.safetensors"))
    table = table["embedding.weight"].astype(np.float32)

scale = np.abs(table).max(axis=1) / 127.0
scale[scale == 0] = 1.0
q = np.clip(np.round(table / scale[:, None]), -127, 127).astype(np.int8)
os.makedirs(OUT, exist_ok=True)
save_file({"embedding.weight": q, "embedding.scale": scale.astype(np.float32)},
          os.path.join(OUT, "table.safetensors"))
with open(os.path.join(OUT, "tokenizer.json"), "wb") as f:
    f.write(tokenizer)
print("wrote", OUT)
