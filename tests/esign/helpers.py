import base64
import io

from PIL import Image, ImageDraw


def drawn_png(size=(300, 100), blank: bool = False) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if not blank:
        ImageDraw.Draw(image).line([(10, 50), (150, 20), (290, 80)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()
