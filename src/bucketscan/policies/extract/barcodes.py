"""QR codes and PDF417 (My Number card back, AAMVA driver's licences) through zxing-cpp."""

from __future__ import annotations

import zxingcpp
from PIL import Image

from bucketscan.records.content import Code

_FORMATS = {"QRCode": "QR", "MicroQRCode": "QR", "PDF417": "PDF417", "DataMatrix": "DataMatrix"}
_MAX_SIDE = 2000


def read_codes(image: Image.Image) -> tuple[Code, ...]:
    """Each decoded QR / PDF417 code: its kind and text."""
    if max(image.size) > _MAX_SIDE:
        scale = _MAX_SIDE / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    formats = zxingcpp.BarcodeFormats(
        [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.PDF417]
    )
    found = zxingcpp.read_barcodes(image.convert("L"), formats=formats)
    codes = []
    for code in found:
        kind = _FORMATS.get(code.format.name, code.format.name)
        if code.text.strip():
            codes.append(Code(kind, code.text))
    return tuple(codes)
