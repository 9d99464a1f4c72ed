"""Draw the application icon: ``python packaging/make_icon.py``.

Writes ``resources/icons/tsa-desktop.png`` (256 px, for the window and Linux) and
``resources/icons/tsa-desktop.ico`` (16 to 256 px, for the Windows executable, its shortcuts and
the installer). Both are committed; run this again only to change the design.

The design: a school (a pediment over three columns) in white on the alliance navy of the
letters, with a green tick for a placement that is in place. Drawn at 1024 px and scaled down,
so the small sizes stay sharp.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
NAVY = (31, 58, 95, 255)   # ACCENT of the letters
WHITE = (255, 255, 255, 255)
GREEN = (76, 175, 80, 255)
SIZE = 1024


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle((40, 40, SIZE - 40, SIZE - 40), radius=190, fill=NAVY)
    # The pediment, the columns and the steps of a school.
    d.polygon([(200, 420), (512, 200), (824, 420)], fill=WHITE)
    d.rectangle((230, 440, 794, 490), fill=WHITE)
    for left in (270, 470, 670):
        d.rectangle((left, 520, left + 84, 760), fill=WHITE)
    d.rectangle((210, 790, 814, 850), fill=WHITE)
    # A tick in a green disc at the bottom right.
    d.ellipse((640, 600, 940, 900), fill=GREEN, outline=NAVY, width=24)
    d.line([(712, 752), (774, 816), (872, 694)], fill=WHITE, width=52, joint="curve")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "tsa-desktop.png", optimize=True)
    sizes = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    big.save(OUT / "tsa-desktop.ico", sizes=sizes)
    print(f"wrote {OUT / 'tsa-desktop.png'} and {OUT / 'tsa-desktop.ico'}")


if __name__ == "__main__":
    main()
