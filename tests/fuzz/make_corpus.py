#!/usr/bin/python3
"""Seed inputs for the decoder fuzz target: a stream of real protocol
frames (INFO, SAMPLEs across a sequence wrap with saturated readings, an
ACK), written by tests/support/bmframes.py.  Rerun to regenerate
corpus/decoder/stream.bin."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import bmframes as bf  # noqa: E402

stream = b"\x00" + bf.info()
for i in range(40):
    stream += bf.sample(65520 + i, 0xFFFFFF00 + i * 12500,
                        -8388608 if i == 5 else 100000 + i, 8388607 if i == 6 else -i,
                        4 if i == 5 else 0, 2 if i == 6 else 0)
stream += bf.frame(bf.MSG_ACK, bytes([7, 0x40]))
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "decoder", "stream.bin")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "wb") as f:
    f.write(stream)
