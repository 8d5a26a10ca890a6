#!/usr/bin/python3
"""Seed inputs for the decoder fuzz target: a stream of real protocol
frames (INFO, SAMPLEs across a sequence wrap, an ACK), written with an
independent Python COBS and CRC-16/CCITT-FALSE.  Rerun to regenerate
corpus/decoder/stream.bin."""
import os
import struct


def crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def cobs(data):
    out, block = bytearray(), bytearray()
    for b in data:
        if b == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out += bytes([255]) + block
                block = bytearray()
    out += bytes([len(block) + 1]) + block
    return bytes(out)


def frame(msg_type, body):
    payload = bytes([msg_type]) + body
    payload += struct.pack("<H", crc16(payload))
    return cobs(payload) + b"\x00"


def s24(v):
    return struct.pack("<i", v)[:3]


assert crc16(b"123456789") == 0x29B1
stream = b"\x00"
stream += frame(0x02, bytes([1, 0, 1, 0, 80, 128]) + struct.pack("<I", 0x5A3C91E2) + bytes([1, 1]) + struct.pack("<HH", 0, 0))
for i in range(40):
    seq = (65520 + i) & 0xFFFF
    body = struct.pack("<HI", seq, (0xFFFFFF00 + i * 12500) & 0xFFFFFFFF)
    body += s24(-8388608 if i == 5 else 100000 + i) + s24(8388607 if i == 6 else -i)
    body += bytes([4 if i == 5 else 0, 2 if i == 6 else 0])
    stream += frame(0x01, body)
stream += frame(0x03, bytes([7, 0x40]))
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "decoder", "stream.bin")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "wb") as f:
    f.write(stream)
