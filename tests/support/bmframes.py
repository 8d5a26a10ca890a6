"""bmframes.py - bridgemon protocol frames for Python test tools, written
independently of the C code (so tests built on it also cross-check it):
COBS, CRC-16/CCITT-FALSE and message bodies, as firmware/PROTOCOL.md
describes them."""
import struct

MSG_SAMPLE, MSG_INFO, MSG_ACK = 0x01, 0x02, 0x03


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


def info(proto=1, rate=80, board_id=0x5A3C91E2):
    return frame(MSG_INFO, bytes([proto, 0, 1, 0, rate, 128]) + struct.pack("<I", board_id)
                 + bytes([1, 1]) + struct.pack("<HH", 0, 0))


def sample(seq, t_us, left, right, lflags=0, rflags=0):
    body = struct.pack("<HI", seq & 0xFFFF, t_us & 0xFFFFFFFF) + s24(left) + s24(right)
    return frame(MSG_SAMPLE, body + bytes([lflags, rflags]))


assert crc16(b"123456789") == 0x29B1
