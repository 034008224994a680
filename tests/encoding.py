"""Test helper: Vietnamese text in Windows-1258, as legacy Excel writes it."""

import unicodedata


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has precomposed â ê ô ơ ư ă đ but tones only as combining marks: encode each
    letter as its largest encodable precomposed base followed by the remaining marks."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = list(unicodedata.normalize("NFD", char))
        for mark in marks:  # e.g. ậ = a + dot below + circumflex → â + dot below
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed.encode("cp1258", errors="ignore"):
                base, marks = composed, [m for m in marks if m != mark]
                break
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)
