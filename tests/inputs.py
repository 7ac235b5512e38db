"""A folder of awkward inputs, and the outcome each one must have."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

FRENCH = (
    "Le café était fermé ce matin-là; « déjà vu », dit-il à l’entrée du musée. Les élèves "
    "décidèrent d’aller à la bibliothèque où régnait un silence complet. Après le déjeuner, ils "
    "se promenèrent le long de la rivière, près des arbres dénudés par l’hiver."
)
GERMAN = (
    "Die Straße war gesperrt, während die Bürger über die Brücke gingen. Der Bürgermeister "
    "erklärte später, dass die Öffnung der Straße für nächste Woche geplant sei."
)

# relative path -> expected reason code, or None for a document
EXPECTED: dict[str, str | None] = {
    "seed.txt": None,
    "nested/deeper/seed copy.txt": None,
    "odd name – ünïcødé & spaces (1).TXT": None,
    "cp1252.txt": None,
    "utf16.txt": None,
    "bom.txt": None,
    "invisible.txt": None,
    "mojibake.txt": None,
    "iso_datetime.txt": None,
    "empty.txt": "empty",
    "whitespace.txt": "empty",
    "header_only.txt": "empty",
    "binary.txt": "binary",
    "no_header.txt": "missing_date",
    "bad_date.txt": "invalid_date",
}


def story(day: str, topic: str) -> bytes:
    """A small dated article of two paragraphs about `topic`."""
    return (
        f"date {day} The council met on Monday to discuss {topic} in the city centre.\n\n"
        f"Residents said the plans for {topic} should be published before the vote."
    ).encode()


def write_awkward_inputs(root: Path, seed: bytes, outside: Path) -> None:
    """Fill `root` with the inputs of EXPECTED, plus files and links that must be skipped."""
    files: dict[str, bytes] = {
        "seed.txt": seed,
        "nested/deeper/seed copy.txt": seed,
        "odd name – ünïcødé & spaces (1).TXT": b"date 2024-01-15\n\n" + GERMAN.encode(),
        "cp1252.txt": f"date 2023-05-01 {FRENCH}".encode("cp1252"),
        "utf16.txt": f"Date: March 3, 2022\n\n{GERMAN}".encode("utf-16"),
        "bom.txt": codecs.BOM_UTF8 + f"date 2024-11-02\n\n{FRENCH}".encode(),
        "invisible.txt": (
            "date 2024-11-02 Zero\u200bwidth and\x07 control\x00 characters\u00ad vanish.\r\n"
            "\r\nSecond\u00a0paragraph\u2009here."
        ).encode(),
        "mojibake.txt": "date 2024-11-02 He didn’t say ‘yes’ to the café.".encode()
        .decode("cp1252")
        .encode(),
        "iso_datetime.txt": b"date 2024-11-02T23:59:59-05:00\n\nLate news.",
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t\r\n   ",
        "header_only.txt": b"date 2024-11-02\n",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "no_header.txt": b"Ukraine launched another wave of drones.",
        "bad_date.txt": b"date 2024-13-45 Ukraine launched another wave of drones.",
        "notes.md": b"not an input",
        "nested/image.png": b"\x89PNG",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_bytes(seed)
    os.symlink(outside / "secret.txt", root / "link_out.txt")
    os.symlink(outside, root / "nested" / "dir_out")
    os.symlink(root / "nested", root / "nested" / "deeper" / "loop")


def write_deep_input(top: Path, length: int, name: str, data: bytes) -> list[str]:
    """Nested folders below `top` until the last one's path is over `length`, with `name` in it."""
    # Made through folder descriptors: the kernel takes no path longer than PATH_MAX.
    parts: list[str] = []
    folder = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        while len(str(top)) + sum(len(part) + 1 for part in parts) <= length:
            parts.append(f"{len(parts):03d}" + "d" * 200)
            os.mkdir(parts[-1], dir_fd=folder)
            below = os.open(parts[-1], os.O_RDONLY | os.O_DIRECTORY, dir_fd=folder)
            os.close(folder)
            folder = below
        file = os.open(name, os.O_WRONLY | os.O_CREAT, dir_fd=folder)
        with os.fdopen(file, "wb") as written:
            written.write(data)
    finally:
        os.close(folder)
    return parts
