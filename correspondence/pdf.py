"""The letter as a PDF: an A4 page laid out after DIN 5008 form B, so the address shows in a window envelope.

Geometry (from the top-left corner of the sheet):
- address field 20 mm from the left, 45 mm from the top, 85 x 45 mm: a 17.7 mm zone for the return
  address, then the recipient's lines from 62.7 mm to 90 mm (at most six lines);
- reference block (date, customer number, our reference) 125 mm from the left, 50 mm from the top;
- body text from 98.5 mm on the first page and 20 mm on later pages, 25 mm left and 20 mm right margins;
- fold marks at 105 mm and 210 mm, a punch mark at 148.5 mm.
That fits DL and C5/6 window envelopes (DIN 680: a 90 x 45 mm window 20 mm from the left, 15 mm from the top)
with the sheet folded at the marks. The reportlab flowables do the text; the fixed parts are drawn per page.
"""

import io
import logging
import os
import re
from dataclasses import dataclass, replace
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Paragraph, Spacer
from reportlab.platypus.paraparser import ParaParser

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN, RIGHT_MARGIN = 25 * mm, 20 * mm
BOTTOM_MARGIN = 25 * mm

ADDRESS_LEFT = 20 * mm
ADDRESS_TOP = 45 * mm
ADDRESS_WIDTH = 85 * mm
RETURN_ZONE_HEIGHT = 17.7 * mm
RECIPIENT_ZONE_TOP = ADDRESS_TOP + RETURN_ZONE_HEIGHT
RECIPIENT_ZONE_BOTTOM = ADDRESS_TOP + 45 * mm
RECIPIENT_MAX_LINES = 6
REFERENCE_LEFT = 125 * mm
REFERENCE_TOP = 50 * mm
FIRST_BODY_TOP = 98.5 * mm
LATER_BODY_TOP = 20 * mm
FOLD_MARKS = (105 * mm, 210 * mm)
PUNCH_MARK = PAGE_HEIGHT / 2

log = logging.getLogger(__name__)

BOLD = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold"}
# The standard PDF fonts print the Windows-1252 repertoire; a letter with other characters is set in a
# Unicode TrueType font (embedded, slower); settings.LETTER_UNICODE_FONT chooses it (see use_unicode_font).
UNICODE_FONT = "LetterUnicode"
unicode_font_files = {
    "regular": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}
# Control characters other than newline and tab have no glyph and some break the PDF text operators.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
BLANK_LINE = re.compile(r"\n[ \t]*\n+")


@dataclass(frozen=True)
class LetterSection:
    heading: str
    text: str
    bold: bool = False
    postscript: bool = False


@dataclass(frozen=True)
class Letter:
    """Everything printed on a letter, already resolved from the records."""

    recipient: tuple[str, ...]
    sections: tuple[LetterSection, ...]
    letterhead: tuple[str, ...] = ()
    return_address: str = ""
    reference: tuple[tuple[str, str], ...] = ()
    closing: str = ""
    show_address_block: bool = True
    show_page_numbers: bool = True
    font: str = "Helvetica"
    font_size: int = 10
    title: str = ""
    author: str = ""


@dataclass(frozen=True)
class RenderedLetter:
    pdf: bytes
    pages: int


def plain_paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """User text as a paragraph shown exactly as written: it never goes through the markup parser.

    The fragments are built directly, so `<b>`, `<font>` or `&amp;` in a letter print literally,
    and skipping the parser also makes a letter several times faster to lay out.
    """
    text_fragment, line_break = _fragments(style)
    fragments = []
    for index, line in enumerate(UNPRINTABLE.sub("", text).replace("\t", "    ").split("\n")):
        if index:
            fragments.append(line_break.clone())
        fragments.append(text_fragment.clone(text=line))
    return Paragraph(text, style, frags=fragments)


@cache
def _fragments(style: ParagraphStyle):
    """A text fragment and a line break in `style`, taken once from the parser as templates."""
    _, (text_fragment, line_break, _) = ParaParser().parse("x<br/>x", style)[:2]
    return text_fragment, line_break


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single newlines stay line breaks inside one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [part.strip("\n") for part in BLANK_LINE.split(text) if part.strip()]


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    subject: ParagraphStyle
    closing: ParagraphStyle


@cache
def styles_for(font: str, size: int) -> Styles:
    bold = BOLD.get(font, "Helvetica-Bold")
    leading = size * 1.3
    body = ParagraphStyle("body", fontName=font, fontSize=size, leading=leading, spaceAfter=leading * 0.6)
    return Styles(
        body=body,
        heading=ParagraphStyle("heading", parent=body, fontName=bold, spaceBefore=leading * 0.4, spaceAfter=2),
        subject=ParagraphStyle("subject", parent=body, fontName=bold, spaceAfter=leading),
        closing=ParagraphStyle("closing", parent=body, spaceBefore=leading * 0.6),
    )


class _LetterCanvas(Canvas):
    """Holds pages back until the end, so every page can say how many there are."""

    letter: Letter

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            if self.letter.show_page_numbers:
                self.setFont(self.letter.font, 8)
                self.drawRightString(PAGE_WIDTH - RIGHT_MARGIN, 12 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _canvas_for(letter: Letter):
    return type("LetterCanvas", (_LetterCanvas,), {"letter": letter})


def _from_top(distance: float) -> float:
    return PAGE_HEIGHT - distance


def _draw_marks(canvas: Canvas) -> None:
    canvas.setLineWidth(0.3)
    for at in FOLD_MARKS:
        canvas.line(4 * mm, _from_top(at), 8 * mm, _from_top(at))
    canvas.line(4 * mm, PUNCH_MARK, 10 * mm, PUNCH_MARK)


def _draw_first_page(letter: Letter, styles: Styles, canvas: Canvas) -> None:
    canvas.saveState()
    _draw_marks(canvas)
    if letter.letterhead:
        # Staff-defined short lines: drawn directly, which costs a fraction of laying out paragraphs.
        name, *lines = (UNPRINTABLE.sub("", line) for line in letter.letterhead)
        right = PAGE_WIDTH - RIGHT_MARGIN
        baseline = _from_top(12 * mm + 13)
        canvas.setFont(BOLD.get(letter.font, "Helvetica-Bold"), 13)
        canvas.drawRightString(right, baseline, name)
        canvas.setFont(letter.font, 8.5)
        for line in lines:
            baseline -= 10.5
            canvas.drawRightString(right, baseline, line)
    if letter.show_address_block:
        text_left = ADDRESS_LEFT + 5 * mm
        if letter.return_address:
            canvas.setFont(letter.font, 7)
            canvas.drawString(text_left, _from_top(RECIPIENT_ZONE_TOP - 2.5 * mm), letter.return_address[:90])
        canvas.setFont(letter.font, 10)
        baseline = _from_top(RECIPIENT_ZONE_TOP + 4 * mm)
        for line in letter.recipient[:RECIPIENT_MAX_LINES]:
            canvas.drawString(text_left, baseline, line)
            baseline -= 12
    if letter.reference:
        baseline = _from_top(REFERENCE_TOP + 3 * mm)
        for label, value in letter.reference:
            canvas.setFont(letter.font, 7)
            canvas.drawString(REFERENCE_LEFT, baseline, label)
            canvas.setFont(letter.font, 10)
            canvas.drawString(REFERENCE_LEFT, baseline - 11, value)
            baseline -= 24
    canvas.restoreState()


def _draw_later_page(letter: Letter, styles: Styles, canvas: Canvas) -> None:
    canvas.saveState()
    _draw_marks(canvas)
    canvas.restoreState()


def _story(letter: Letter, styles: Styles) -> list:
    story = []
    for section in (section for section in letter.sections if not section.postscript):
        story.extend(_section(section, styles))
    if letter.closing:
        story.append(plain_paragraph(letter.closing.strip(), styles.closing))
    # A letter is signed before its postscripts, which come last, after a gap like the closing's.
    for index, section in enumerate(section for section in letter.sections if section.postscript):
        flowables = _section(section, styles)
        story.extend([Spacer(1, styles.closing.spaceBefore)] if index == 0 else [])
        story.extend(flowables)
    return story or [Spacer(1, 1)]


def _section(section: LetterSection, styles: Styles) -> list:
    style = styles.subject if section.bold else styles.body
    parts = [plain_paragraph(text, style) for text in paragraphs(section.text)]
    if not section.heading:
        return parts
    heading = plain_paragraph(section.heading, styles.heading)
    # A heading never ends a page alone: it travels with the first paragraph of its section.
    return [KeepTogether([heading, *parts[:1]]), *parts[1:]]


def _body_frame(name: str, top: float) -> Frame:
    width = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
    height = PAGE_HEIGHT - top - BOTTOM_MARGIN
    return Frame(LEFT_MARGIN, BOTTOM_MARGIN, width, height, 0, 0, 0, 0, id=name)


def use_unicode_font(regular: str, bold: str = "") -> None:
    """Choose the TrueType files for letters beyond Windows-1252 (before the first such letter renders)."""
    unicode_font_files.update(regular=regular, bold=bold)
    unicode_font.cache_clear()


@cache
def unicode_font() -> str | None:
    """Register the Unicode font once; None when its file is not there."""
    regular, bold = unicode_font_files["regular"], unicode_font_files["bold"]
    if not regular or not os.path.exists(regular):
        log.warning("letters.unicode_font_missing path=%s", regular)
        return None
    pdfmetrics.registerFont(TTFont(UNICODE_FONT, regular))
    bold_name = UNICODE_FONT
    if bold and os.path.exists(bold):
        bold_name = f"{UNICODE_FONT}-Bold"
        pdfmetrics.registerFont(TTFont(bold_name, bold))
    BOLD[UNICODE_FONT] = bold_name
    return UNICODE_FONT


def _printable_in_standard_fonts(letter: Letter) -> bool:
    texts = [*letter.recipient, *letter.letterhead, letter.return_address, letter.closing]
    texts += [part for pair in letter.reference for part in pair]
    texts += [text for section in letter.sections for text in (section.heading, section.text)]
    try:
        "\n".join(texts).encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def render_letter(letter: Letter) -> RenderedLetter:
    if not _printable_in_standard_fonts(letter):
        font = unicode_font()
        if font is not None:
            letter = replace(letter, font=font)
    styles = styles_for(letter.font, letter.font_size)
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=letter.title,
        author=letter.author,
        creator="Correspondence back-office",
        invariant=True,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=LATER_BODY_TOP,
        bottomMargin=BOTTOM_MARGIN,
    )
    first_frame = _body_frame("first", FIRST_BODY_TOP)
    later_frame = _body_frame("later", LATER_BODY_TOP)
    document.addPageTemplates(
        [
            PageTemplate(
                "first",
                [first_frame],
                onPage=lambda canvas, doc: _draw_first_page(letter, styles, canvas),
                autoNextPageTemplate="later",
            ),
            PageTemplate("later", [later_frame], onPage=lambda canvas, doc: _draw_later_page(letter, styles, canvas)),
        ]
    )
    document.build(_story(letter, styles), canvasmaker=_canvas_for(letter))
    return RenderedLetter(pdf=buffer.getvalue(), pages=document.page)
