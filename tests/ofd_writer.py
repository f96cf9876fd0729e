"""A small OFD writer, for tests only: pages of positioned text, ruling lines and images, zipped as OFD."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"


@dataclass
class Text:
    """A run of text with its baseline at (x, y) on the page, in mm."""

    x: float
    y: float
    text: str
    size: float = 4.2
    delta_x: str | None = None  # the DeltaX attribute as written; default "g n size"
    ctm: str | None = None  # with a CTM the object space is scaled: give x, y, size in object space


@dataclass
class Line:
    """A ruling line from (x0, y0) to (x1, y1)."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Image:
    """An image placed in the box (x, y, w, h)."""

    x: float
    y: float
    w: float
    h: float
    data: bytes = b"\xff\xd8\xff\xe0fake-jpeg"


@dataclass
class Page:
    """One page's objects; `template` ones go to a template page shared by all pages that name it."""

    objects: list[Text | Line | Image] = field(default_factory=list)
    use_template: bool = False


def paragraph(
    left: float, y: float, width: float, text: str, size: float = 4.2, indent: int = 2
) -> list[Text]:
    """Wrap text into lines of full-width characters, the first line indented, as a word processor lays it out."""
    per_line = int(width // size)
    lines: list[Text] = []
    pos = 0
    first = True
    while pos < len(text):
        room = per_line - (indent if first else 0)
        chunk = text[pos : pos + room]
        lines.append(Text(left + (indent * size if first else 0), y, chunk, size))
        pos += room
        y += size * 1.8
        first = False
    return lines


def ruled_table(
    left: float,
    top: float,
    widths: list[float],
    heights: list[float],
    cells: dict[tuple[int, int], str],
    merges: list[tuple[int, int, int, int]] | None = None,
    size: float = 3.5,
) -> list[Text | Line]:
    """A grid of ruled cells; inner lines of merged cells are left out, as a renderer draws them."""
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    region: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for r0, c0, r1, c1 in merges or []:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                region[(r, c)] = (r0, c0, r1, c1)
    out: list[Text | Line] = []
    rows, cols = len(heights), len(widths)
    for r in range(rows + 1):  # horizontal edges, one per cell so merged cells can skip theirs
        for c in range(cols):
            inner = (
                0 < r < rows
                and region.get((r - 1, c)) is not None
                and region.get((r - 1, c)) == region.get((r, c))
            )
            if not inner:
                out.append(Line(xs[c], ys[r], xs[c + 1], ys[r]))
    for c in range(cols + 1):
        for r in range(rows):
            inner = (
                0 < c < cols
                and region.get((r, c - 1)) is not None
                and region.get((r, c - 1)) == region.get((r, c))
            )
            if not inner:
                out.append(Line(xs[c], ys[r], xs[c], ys[r + 1]))
    for (r, c), text in cells.items():
        out.append(Text(xs[c] + 1.0, ys[r] + size + 1.5, text, size))
    return out


def _text_xml(t: Text, oid: int, p: str) -> str:
    n = len(t.text)
    # Word processors advance a full em for Chinese characters and half an em for ASCII.
    advances = [t.size if ord(ch) > 0x2E7F else t.size / 2 for ch in t.text[:-1]]
    delta = t.delta_x if t.delta_x is not None else " ".join(f"{a:g}" for a in advances)
    width = max(n * t.size, 1.0)
    ctm = f' CTM="{t.ctm}"' if t.ctm else ""
    delta_attr = f' DeltaX="{delta}"' if delta else ""
    if t.ctm:
        # The object space starts at the boundary's origin; x, y, size are already in object space.
        boundary = f"{t.x} {t.y} {width * 3} {t.size * 3}"
        x, y = 0.0, t.size
    else:
        boundary = f"{t.x} {t.y - t.size} {width} {t.size * 1.4}"
        x, y = 0.0, t.size
    return (
        f'<{p}TextObject ID="{oid}" Boundary="{boundary}" Font="1" Size="{t.size}"{ctm}>'
        f'<{p}FillColor Value="0 0 0"/>'
        f'<{p}TextCode X="{x}" Y="{y}"{delta_attr}>{escape(t.text)}</{p}TextCode></{p}TextObject>'
    )


def _line_xml(ln: Line, oid: int, p: str) -> str:
    bx, by = min(ln.x0, ln.x1), min(ln.y0, ln.y1)
    w, h = abs(ln.x1 - ln.x0), abs(ln.y1 - ln.y0)
    return (
        f'<{p}PathObject ID="{oid}" Boundary="{bx} {by} {max(w, 0.3)} {max(h, 0.3)}" LineWidth="0.25">'
        f"<{p}AbbreviatedData>M {ln.x0 - bx} {ln.y0 - by} L {ln.x1 - bx} {ln.y1 - by}</{p}AbbreviatedData>"
        f"</{p}PathObject>"
    )


def write_ofd(
    path: Path,
    pages: list[Page],
    *,
    namespace: bool = True,
    prefix: str = "ofd",
    declare: bool = True,
    signature: bool = False,
    template: list[Text | Line | Image] | None = None,
    declared_pages: int | None = None,
    omit: tuple[str, ...] = (),
    replace: dict[str, bytes] | None = None,
) -> Path:
    """Write an OFD package: OFD.xml, Doc_0/Document.xml, PublicRes.xml, one Content.xml per page."""
    p = f"{prefix}:" if prefix else ""
    xmlns = ""
    if namespace and declare:
        xmlns = f' xmlns:{prefix}="{NS}"' if prefix else f' xmlns="{NS}"'
    members: dict[str, bytes] = {}
    media: list[tuple[int, str]] = []
    next_id = [100]

    def oid() -> int:
        next_id[0] += 1
        return next_id[0]

    def content(objects: list[Text | Line | Image]) -> str:
        parts: list[str] = []
        for obj in objects:
            if isinstance(obj, Text):
                parts.append(_text_xml(obj, oid(), p))
            elif isinstance(obj, Line):
                parts.append(_line_xml(obj, oid(), p))
            else:
                rid = oid()
                name = f"image_{rid}.jpg"
                members[f"Doc_0/Res/{name}"] = obj.data
                media.append((rid, name))
                parts.append(
                    f'<{p}ImageObject ID="{oid()}" ResourceID="{rid}" Boundary="{obj.x} {obj.y} {obj.w} {obj.h}"'
                    f' CTM="{obj.w} 0 0 {obj.h} 0 0"/>'
                )
        return "".join(parts)

    if template is not None:
        members["Doc_0/Tpls/Tpl_0/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}Page{xmlns}><{p}Content><{p}Layer ID="{oid()}">'
            f"{content(template)}</{p}Layer></{p}Content></{p}Page>"
        ).encode()
    page_refs: list[str] = []
    for i, page in enumerate(pages):
        tpl = f'<{p}Template TemplateID="2" ZOrder="Background"/>' if page.use_template else ""
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}Page{xmlns}>{tpl}<{p}Content>'
            f'<{p}Layer ID="{oid()}" Type="Body">{content(page.objects)}</{p}Layer></{p}Content></{p}Page>'
        ).encode()
        page_refs.append(f'<{p}Page ID="{oid()}" BaseLoc="Pages/Page_{i}/Content.xml"/>')
    if declared_pages is not None:
        page_refs = [
            f'<{p}Page ID="{1000 + i}" BaseLoc="Pages/Page_0/Content.xml"/>' for i in range(declared_pages)
        ]
    tpl_decl = f'<{p}TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template is not None else ""
    members["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}Document{xmlns}><{p}CommonData>'
        f"<{p}PageArea><{p}PhysicalBox>0 0 210 297</{p}PhysicalBox></{p}PageArea>"
        f"<{p}PublicRes>PublicRes.xml</{p}PublicRes><{p}MaxUnitID>{next_id[0]}</{p}MaxUnitID>{tpl_decl}"
        f"</{p}CommonData><{p}Pages>{''.join(page_refs)}</{p}Pages></{p}Document>"
    ).encode()
    medias = "".join(
        f'<{p}MultiMedia ID="{rid}" Type="Image"><{p}MediaFile>{name}</{p}MediaFile></{p}MultiMedia>'
        for rid, name in media
    )
    members["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}Res{xmlns} BaseLoc="Res">'
        f'<{p}Fonts><{p}Font ID="1" FontName="宋体"/></{p}Fonts>'
        f"<{p}MultiMedias>{medias}</{p}MultiMedias></{p}Res>"
    ).encode()
    sign = f"<{p}Signatures>Doc_0/Signs/Signatures.xml</{p}Signatures>" if signature else ""
    members["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}OFD{xmlns} Version="1.0" DocType="OFD"><{p}DocBody>'
        f"<{p}DocInfo><{p}DocID>0123456789abcdef</{p}DocID></{p}DocInfo>"
        f"<{p}DocRoot>Doc_0/Document.xml</{p}DocRoot>{sign}</{p}DocBody></{p}OFD>"
    ).encode()
    if signature:
        members["Doc_0/Signs/Signatures.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}Signatures{xmlns}>'
            f'<{p}Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></{p}Signatures>'
        ).encode()
        members["Doc_0/Signs/Sign_0/Signature.xml"] = b"<Signature/>"
        members["Doc_0/Signs/Sign_0/SignedValue.dat"] = b"\x30\x82\x00\x00not-a-real-signature"
    for name in omit:
        members.pop(name, None)
    members.update(replace or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path
