"""A small OLE2 compound-file writer, for tests only: builds .doc/.xls-shaped files from named streams.

Version 3 layout (MS-CFB): a 512-byte header, 512-byte sectors, one FAT, one directory chain. There is no
mini stream: every stream shorter than the 4096-byte cutoff is padded up to it, so readers take every
stream from regular sectors (the readers under test only look at the lengths they were told).
"""

from __future__ import annotations

import struct

SECTOR = 512
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sectors(data: bytes) -> int:
    return (len(data) + SECTOR - 1) // SECTOR


def _dir_entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
    """One 128-byte directory entry; all entries black, siblings chained to the right (a valid BST)."""
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    if len(encoded) > 64:
        raise ValueError(f"stream name too long: {name!r}")
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NOSTREAM, right, child)
        + b"\x00" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\x00" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """Return a compound file holding the given root-level streams."""
    padded = {name: data.ljust(MINI_CUTOFF, b"\x00") for name, data in streams.items()}
    # Siblings sorted as MS-CFB compares names: shorter first, then by upper-case code points.
    names = sorted(padded, key=lambda n: (len(n), n.upper()))
    starts: dict[str, int] = {}
    sector = 0
    for name in names:
        starts[name] = sector
        sector += _sectors(padded[name])
    dir_count = (len(names) + 1 + 3) // 4  # four 128-byte entries per sector
    dir_start = sector
    sector += dir_count
    # The FAT must also map its own sectors: grow it until it covers everything.
    fat_count = 1
    while fat_count * (SECTOR // 4) < sector + fat_count:
        fat_count += 1
    if fat_count > 109:
        raise ValueError("too large for a header-only DIFAT")
    fat_start = sector
    total = sector + fat_count

    fat = [FREESECT] * (fat_count * (SECTOR // 4))
    for name in names:
        first, count = starts[name], _sectors(padded[name])
        for i in range(count):
            fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN
    for i in range(dir_count):
        fat[dir_start + i] = dir_start + i + 1 if i < dir_count - 1 else ENDOFCHAIN
    for i in range(fat_count):
        fat[fat_start + i] = FATSECT

    entries = [_dir_entry("Root Entry", 5, 1 if names else NOSTREAM, NOSTREAM, ENDOFCHAIN, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        entries.append(_dir_entry(name, 2, NOSTREAM, right, starts[name], len(padded[name])))
    directory = b"".join(entries).ljust(dir_count * SECTOR, b"\x00")
    # Unused directory slots must still read as empty entries with no siblings.
    empty = b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
    empty = empty.ljust(128, b"\x00")
    directory = directory[: 128 * len(entries)] + empty * (dir_count * 4 - len(entries))

    difat = [fat_start + i for i in range(fat_count)] + [FREESECT] * (109 - fat_count)
    header = (
        MAGIC
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, fat_count, dir_start, 0, MINI_CUTOFF, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR
    body = b"".join(padded[name].ljust(_sectors(padded[name]) * SECTOR, b"\x00") for name in names)
    out = header + body + directory + struct.pack(f"<{len(fat)}I", *fat)
    assert len(out) == SECTOR * (1 + total)
    return out
