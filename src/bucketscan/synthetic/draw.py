"""Drawing helpers shared by the card, passport, résumé and negative renderers."""

from __future__ import annotations

import functools
import io
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from PIL import Image, ImageDraw, ImageFont

from bucketscan.synthetic.faces import draw_face

_OPENTYPE = Path("/usr/share/fonts/opentype")
_TRUETYPE = Path("/usr/share/fonts/truetype")
GOTHIC = _OPENTYPE / "ipafont-gothic/ipag.ttf"
MINCHO = _OPENTYPE / "ipafont-mincho/ipam.ttf"
MONO = _TRUETYPE / "dejavu/DejaVuSansMono.ttf"
LATIN = _TRUETYPE / "dejavu/DejaVuSans.ttf"
OCR_B = _OPENTYPE / "ocr-b/OCRB.otf"
NOTO_SANS = _OPENTYPE / "noto/NotoSansCJK-Regular.ttc"
NOTO_SANS_BOLD = _OPENTYPE / "noto/NotoSansCJK-Bold.ttc"
NOTO_SERIF = _OPENTYPE / "noto/NotoSerifCJK-Regular.ttc"
ID1 = (1011, 638)  # 85.60 x 53.98 mm at 300 dpi
ID3 = (1476, 1039)  # 125 x 88 mm at 300 dpi
A4 = (1240, 1754)  # 210 x 297 mm at 150 dpi
INK = (25, 25, 30)
GREY = (95, 95, 105)
_ASCENT = 0.88  # IPA Gothic's ascent: every face is drawn on the baseline IPA would use

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Typeface:
    """A font file (index = face in a collection), its pick weight, and whether it has kanji."""

    path: Path
    index: int = 0
    weight: float = 1.0
    cjk: bool = True


# kind → candidate faces; each document picks one installed face per kind from its rng.
FAMILIES: dict[str, tuple[Typeface, ...]] = {
    "gothic": (
        Typeface(GOTHIC, weight=2.0),
        Typeface(_OPENTYPE / "ipafont-gothic/ipagp.ttf"),
        Typeface(NOTO_SANS, weight=2.0),
    ),
    "mincho": (
        Typeface(MINCHO, weight=2.0),
        Typeface(_OPENTYPE / "ipafont-mincho/ipamp.ttf"),
        Typeface(NOTO_SERIF, weight=2.0),
    ),
    "bold": (Typeface(NOTO_SANS_BOLD), Typeface(GOTHIC, weight=0.5)),
    "latin": (
        Typeface(LATIN, cjk=False),
        Typeface(_TRUETYPE / "dejavu/DejaVuSansCondensed.ttf", cjk=False),
        Typeface(_TRUETYPE / "liberation2/LiberationSans-Regular.ttf", cjk=False),
        Typeface(_TRUETYPE / "liberation2/LiberationSerif-Regular.ttf", weight=0.4, cjk=False),
        Typeface(NOTO_SANS),
    ),
    "mono": (
        Typeface(OCR_B, weight=6.0, cjk=False),
        Typeface(MONO, cjk=False),
        Typeface(_TRUETYPE / "liberation2/LiberationMono-Regular.ttf", cjk=False),
    ),
}
_CURRENT: ContextVar[dict[str, Typeface] | None] = ContextVar("typefaces", default=None)


def installed(kind: str) -> tuple[Typeface, ...]:
    """The faces of a family whose files exist (the gothic family when none of `kind` do)."""
    faces = tuple(face for face in FAMILIES.get(kind, ()) if face.path.exists())
    if faces or kind == "gothic":
        return faces
    return installed("gothic")


def pick_typefaces(rng: random.Random, *, serif: bool = False) -> dict[str, Typeface]:
    """One installed face per family, drawn by weight; `serif` sets body text in mincho."""
    chosen: dict[str, Typeface] = {}
    for kind in FAMILIES:
        faces = installed(kind)
        if faces:
            chosen[kind] = rng.choices(faces, weights=[face.weight for face in faces])[0]
    if serif and "mincho" in chosen:
        chosen["gothic"] = chosen["mincho"]
    return chosen


@contextmanager
def typefaces(rng: random.Random, *, serif: bool = False) -> Iterator[dict[str, Typeface]]:
    """Within the block, font() draws from faces picked for one document."""
    token = _CURRENT.set(pick_typefaces(rng, serif=serif))
    try:
        yield _CURRENT.get() or {}
    finally:
        _CURRENT.reset(token)


def styled(
    builder: Callable[Concatenate[random.Random, P], R],
) -> Callable[Concatenate[random.Random, P], R]:
    """Decorate a renderer taking the rng first: its text uses fonts picked per document."""

    @functools.wraps(builder)
    def wrapper(rng: random.Random, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with typefaces(rng):
            return builder(rng, *args, **kwargs)

    return wrapper


def typeface(kind: str = "gothic") -> Typeface | None:
    """The face the current document uses for `kind` (outside one: the first installed)."""
    current = _CURRENT.get()
    if current is not None and kind in current:
        return current[kind]
    faces = installed(kind)
    return faces[0] if faces else None


@functools.lru_cache(maxsize=256)
def _load(face: Typeface | None, size: int) -> Font:
    """Open a face at a size; Pillow's built-in font when the file cannot be read."""
    if face is not None:
        try:
            return ImageFont.truetype(str(face.path), size, index=face.index)
        except OSError:
            pass
    return ImageFont.load_default(size)


def font(size: int, kind: str = "gothic") -> Font:
    """A cached font of `kind` (gothic, mincho, bold, latin, mono) in the document's face."""
    return _load(typeface(kind), max(6, size))


def _face_for(value: str, kind: str) -> str:
    """A kind whose face can draw `value`: a Latin-only face falls back to gothic for kanji."""
    face = typeface(kind)
    if value.isascii() or face is None or face.cjk:
        return kind
    return "gothic"


def text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    value: str,
    size: int,
    fill: tuple[int, int, int] = INK,
    kind: str = "gothic",
    width: float | None = None,
) -> float:
    """Draw text with its top-left at xy, shrunk to `width` if given; returns the x after it."""
    kind = _face_for(value, kind)
    face = font(size, kind)
    length = draw.textlength(value, font=face)
    if width is not None and length > width > 0:
        size = max(6, int(size * width / length))
        face = font(size, kind)
        length = draw.textlength(value, font=face)
    if isinstance(face, ImageFont.FreeTypeFont):
        draw.text((xy[0], xy[1] + _ASCENT * size), value, font=face, fill=fill, anchor="ls")
    else:  # Pillow's bitmap font knows no anchors
        draw.text(xy, value, font=face, fill=fill)
    return xy[0] + length


def vertical_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    value: str,
    size: int,
    fill: tuple[int, int, int] = INK,
) -> None:
    """Draw text top to bottom, one character per line (as 運転免許証 is printed)."""
    x, y = xy
    for char in value:
        text(draw, (x, y), char, size, fill)
        y += size * 1.05


def canvas(
    size: tuple[int, int], color: tuple[int, int, int]
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A new RGB image and its drawing context."""
    image = Image.new("RGB", size, color)
    return image, ImageDraw.Draw(image)


def paste_face(image: Image.Image, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """Paste a synthetic ID photo into box (left, top, right, bottom)."""
    left, top, right, bottom = box
    image.paste(draw_face(rng, right - left, bottom - top), (left, top))


def ghost(image: Image.Image, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """A small faded grey second portrait (the ghost image of passports and US licences)."""
    left, top, right, bottom = box
    face = draw_face(rng, right - left, bottom - top).convert("L").convert("RGB")
    image.paste(Image.blend(image.crop(box), face, rng.uniform(0.22, 0.38)), (left, top))


def rounded_card(image: Image.Image, radius: int = 38) -> Image.Image:
    """The card with rounded corners as an RGBA image (transparent outside)."""
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *image.size), radius=radius, fill=255)
    card = image.convert("RGBA")
    card.putalpha(mask)
    return card


def jpeg(image: Image.Image, quality: int = 85, exif: bytes | None = None) -> bytes:
    """Encode as baseline JPEG (optionally with an EXIF block)."""
    buffer = io.BytesIO()
    rgb = image.convert("RGB")
    if exif is None:
        rgb.save(buffer, "JPEG", quality=quality, optimize=True)
    else:
        rgb.save(buffer, "JPEG", quality=quality, optimize=True, exif=exif)
    return buffer.getvalue()


def png(image: Image.Image) -> bytes:
    """Encode as PNG."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", optimize=False, compress_level=3)
    return buffer.getvalue()
