"""Synthetic drawn faces (no photographs) that a Haar frontal-face cascade detects."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw, ImageFilter

_SKIN = ((233, 196, 170), (222, 180, 150), (200, 160, 125), (170, 125, 95), (240, 210, 185))
_HAIR = ((25, 20, 18), (50, 35, 25), (80, 60, 40), (15, 15, 15), (110, 80, 50))
_BACKDROP = ((200, 215, 230), (225, 225, 225), (190, 205, 220), (235, 235, 240))


def draw_face(rng: random.Random, width: int, height: int) -> Image.Image:
    """An ID-photo style head and shoulders on a plain backdrop, width x height pixels."""
    scale = 4
    w, h = width * scale, height * scale
    image = Image.new("RGB", (w, h), rng.choice(_BACKDROP))
    draw = ImageDraw.Draw(image)
    skin = rng.choice(_SKIN)
    hair = rng.choice(_HAIR)
    shade = (int(skin[0] * 0.68), int(skin[1] * 0.66), int(skin[2] * 0.66))
    light = (min(255, skin[0] + 22), min(255, skin[1] + 22), min(255, skin[2] + 22))
    cx = w // 2 + rng.randint(-w // 40, w // 40)
    face_w = int(w * rng.uniform(0.52, 0.6))
    face_h = int(face_w * rng.uniform(1.28, 1.38))
    top = int(h * rng.uniform(0.16, 0.2))
    left, right, bottom = cx - face_w // 2, cx + face_w // 2, top + face_h
    # shoulders and neck
    shirt = rng.choice(((40, 50, 70), (30, 30, 30), (90, 90, 100), (240, 240, 240)))
    draw.ellipse(
        (cx - w * 0.62, bottom - face_h * 0.05, cx + w * 0.62, bottom + h * 0.7), fill=shirt
    )
    draw.rectangle(
        (cx - face_w * 0.2, bottom - face_h * 0.2, cx + face_w * 0.2, bottom + h * 0.06), fill=shade
    )
    # hair behind the head
    draw.ellipse(
        (left - face_w * 0.1, top - face_h * 0.14, right + face_w * 0.1, top + face_h * 0.75),
        fill=hair,
    )
    draw.ellipse((left, top, right, bottom), fill=skin)
    # soft highlight on the forehead, cheeks and nose bridge (cheeks brighter than the eye band)
    draw.ellipse(
        (left + face_w * 0.12, top + face_h * 0.5, right - face_w * 0.12, top + face_h * 0.78),
        fill=light,
    )
    # fringe
    draw.chord(
        (left - face_w * 0.02, top - face_h * 0.1, right + face_w * 0.02, top + face_h * 0.42),
        180,
        360,
        fill=hair,
    )
    eye_y = top + face_h * rng.uniform(0.44, 0.48)
    eye_dx = face_w * rng.uniform(0.2, 0.23)
    eye_w, eye_h = face_w * 0.15, face_h * 0.05
    for sign in (-1, 1):
        ex = cx + sign * eye_dx
        # shaded socket
        draw.ellipse(
            (ex - eye_w * 1.2, eye_y - eye_h * 2.2, ex + eye_w * 1.2, eye_y + eye_h * 1.8),
            fill=shade,
        )
        draw.ellipse((ex - eye_w, eye_y - eye_h, ex + eye_w, eye_y + eye_h), fill=(228, 226, 222))
        draw.ellipse(
            (ex - eye_h * 1.3, eye_y - eye_h * 1.2, ex + eye_h * 1.3, eye_y + eye_h * 1.2),
            fill=(30, 25, 20),
        )
        brow_y = eye_y - face_h * 0.09
        draw.line(
            (ex - eye_w * 1.2, brow_y + eye_h * 0.5, ex + eye_w * 1.1, brow_y),
            fill=hair,
            width=int(eye_h * 1.1),
        )
    # nose shadow and mouth
    nose_y = top + face_h * 0.66
    draw.polygon(
        [(cx, eye_y + eye_h), (cx - face_w * 0.08, nose_y), (cx + face_w * 0.06, nose_y)],
        fill=shade,
    )
    mouth_y = top + face_h * 0.8
    draw.chord(
        (cx - face_w * 0.17, mouth_y - face_h * 0.04, cx + face_w * 0.17, mouth_y + face_h * 0.05),
        0,
        180,
        fill=(150, 70, 70),
    )
    small = image.resize((width, height), Image.Resampling.BOX)
    return small.filter(ImageFilter.GaussianBlur(radius=max(0.6, width / 250)))
