"""Letters rendered per second: our reportlab renderer against WeasyPrint on the same letter, in one run.

    .venv/bin/python bench/letters_pdf.py              # one-page and five-page letters, both renderers
    .venv/bin/python bench/letters_pdf.py --profile    # where a one-page letter spends its time (pyinstrument)

Single process, single thread: the rates are per core. Each figure is the median of several timed
rounds after a warm-up, in letters per CPU second of this process (beside it, per wall-clock second).
Target: at least 200 one-page letters per second per core.
"""

import argparse
import html
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

ROOT = harness.ROOT
sys.path.insert(0, str(ROOT))

from correspondence.pdf import Letter, LetterSection, paragraphs, render_letter  # noqa: E402

TARGET_ONE_PAGE_PER_SECOND = 200
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
ROUNDS = 7
ROUND_SECONDS = 1.0

PARAGRAPH = (
    "From 1 January your tariff changes to Green Fixed 24. Your monthly payment stays the same, and the "
    "unit rate is fixed for the next 24 months. You do not need to do anything: the change happens by "
    "itself, and your next bill will show the new rate. If you would rather keep your current tariff, "
    "tell us before 15 December and we will leave everything as it is."
)


def letter(paragraph_count: int) -> Letter:
    body = "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(1, paragraph_count + 1))
    return Letter(
        recipient=("Mr John Smith", "2265 Oak Street", "13420 Old Forge", "New York", "UNITED STATES"),
        sections=(
            LetterSection("", "Your new tariff from 1 January", bold=True),
            LetterSection("", "Dear Mr Smith,\n\n" + body),
            LetterSection("P.S.", "Switching to paperless billing saves you EUR 2 a month."),
        ),
        letterhead=("Acme Utilities Ltd", "1 High Street", "London EC1A 1AA", "+44 20 7946 0000"),
        return_address="Acme Utilities Ltd · 1 High Street · London EC1A 1AA",
        reference=(("Date", "24 November 2026"), ("Customer number", "C123"), ("Our reference", "17")),
        closing="Yours sincerely,\n\n\nCustomer Services\nAcme Utilities Ltd",
        title="Standard letter 17",
        author="Acme Utilities Ltd",
    )


ONE_PAGE = letter(3)
FIVE_PAGES = letter(46)
# A name outside Windows-1252 sets the whole letter in the embedded Unicode font (the slower path).
ONE_PAGE_GREEK = replace(ONE_PAGE, recipient=("Κα Ελένη Γεωργίου", *ONE_PAGE.recipient[1:]))


# The same layout in HTML and CSS (DIN 5008 form B positions), for WeasyPrint.
CSS = """
@page { size: A4; margin: 20mm 20mm 25mm 25mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Helvetica; } }
@page :first { margin-top: 98.5mm; }
body { font: 10pt/1.3 Helvetica, Arial, sans-serif; margin: 0; }
p { margin: 0 0 0.8em; }
.subject { font-weight: bold; margin-bottom: 1.3em; }
h2 { font-size: 10pt; margin: 0.5em 0 2pt; }
.letterhead { position: absolute; top: -86.5mm; right: 0; width: 65mm; text-align: right; font-size: 8.5pt; }
.letterhead b { font-size: 13pt; display: block; }
.return { position: absolute; top: -38.3mm; left: 0; font-size: 7pt; }
.address { position: absolute; top: -35.8mm; left: 0; width: 80mm; line-height: 12pt; }
.reference { position: absolute; top: -48.5mm; left: 100mm; }
.reference small { display: block; font-size: 7pt; }
"""


def letter_html(letter: Letter) -> str:
    def text(value: str) -> str:
        return html.escape(value).replace("\n", "<br>")

    head = ""
    if letter.letterhead:
        name, *lines = letter.letterhead
        head = f'<div class="letterhead"><b>{text(name)}</b>{"<br>".join(text(line) for line in lines)}</div>'
    reference = "".join(f"<small>{text(label)}</small>{text(value)}<br>" for label, value in letter.reference)
    parts = [
        head,
        f'<div class="return">{text(letter.return_address)}</div>',
        f'<div class="address">{"<br>".join(text(line) for line in letter.recipient)}</div>',
        f'<div class="reference">{reference}</div>',
    ]
    for section in letter.sections:
        if section.heading:
            parts.append(f"<h2>{text(section.heading)}</h2>")
        css_class = ' class="subject"' if section.bold else ""
        parts += [f"<p{css_class}>{text(paragraph)}</p>" for paragraph in paragraphs(section.text)]
    parts.append(f"<p>{text(letter.closing)}</p>")
    return f"<!doctype html><html><head><style>{CSS}</style></head><body>{''.join(parts)}</body></html>"


def render_weasyprint(letter: Letter) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=letter_html(letter)).write_pdf()


def page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def rate(render, rounds: int = ROUNDS, seconds: float = ROUND_SECONDS) -> tuple[float, float]:
    """Median letters per CPU second and per wall-clock second over the rounds, after one warm-up round.

    Per CPU second is the per-core figure: on a machine shared with other work, the wall clock also
    counts the time this process waited for a core.
    """
    per_cpu, per_wall = [], []
    for index in range(rounds + 1):
        count, wall, cpu = 0, time.perf_counter(), time.process_time()
        while True:
            render()
            count += 1
            if time.perf_counter() - wall >= seconds:
                break
        if index:
            per_cpu.append(count / (time.process_time() - cpu))
            per_wall.append(count / (time.perf_counter() - wall))
    return statistics.median(per_cpu), statistics.median(per_wall)


def accelerated() -> bool:
    from reportlab.lib import rl_accel

    return "instanceStringWidthT1" not in rl_accel._py_funcs


def profile() -> None:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0002)
    with profiler:
        for _ in range(300):
            render_letter(ONE_PAGE)
    print(profiler.output_text(unicode=True, color=False))


TARGET_RATIO = 10


def run(rounds: int = ROUNDS) -> list[harness.Row]:
    """Both renderers on the same letters; prints the detail, returns the table rows."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        sys.exit(f"WeasyPrint cannot load its system libraries ({error}); install {PANGO_PACKAGES} with apt-get")

    pages = {
        "reportlab one-page": page_count(render_letter(ONE_PAGE).pdf),
        "reportlab five-page": page_count(render_letter(FIVE_PAGES).pdf),
        "weasyprint one-page": page_count(render_weasyprint(ONE_PAGE)),
        "weasyprint five-page": page_count(render_weasyprint(FIVE_PAGES)),
        "reportlab one-page, Greek": page_count(render_letter(ONE_PAGE_GREEK).pdf),
    }
    assert list(pages.values()) == [1, 5, 1, 5, 1], pages

    figures = {
        "reportlab one-page": rate(lambda: render_letter(ONE_PAGE), rounds),
        "weasyprint one-page": rate(lambda: render_weasyprint(ONE_PAGE), rounds),
        "reportlab five-page": rate(lambda: render_letter(FIVE_PAGES), rounds),
        "weasyprint five-page": rate(lambda: render_weasyprint(FIVE_PAGES), rounds),
        "reportlab one-page, Greek": rate(lambda: render_letter(ONE_PAGE_GREEK), rounds),
    }
    per_core = {name: cpu for name, (cpu, _) in figures.items()}
    one_ratio = per_core["reportlab one-page"] / per_core["weasyprint one-page"]
    five_ratio = per_core["reportlab five-page"] / per_core["weasyprint five-page"]
    met = per_core["reportlab one-page"] >= TARGET_ONE_PAGE_PER_SECOND

    print(f"reportlab C accelerator (rl_accel): {'active' if accelerated() else 'MISSING'}")
    print(f"{'renderer and letter':<28}{'pages':>6}{'letters/s per core':>20}{'ms CPU each':>13}{'letters/s wall':>16}")
    for name, (cpu, wall) in figures.items():
        print(f"{name:<28}{pages[name]:>6}{cpu:>20.1f}{1000 / cpu:>13.2f}{wall:>16.1f}")
    print(f"ratio reportlab/weasyprint (per core): one-page {one_ratio:.1f}x, five-page {five_ratio:.1f}x")
    print(
        f"target >= {TARGET_ONE_PAGE_PER_SECOND} one-page letters/s per core: "
        f"{'met' if met else 'MISSED'} ({per_core['reportlab one-page']:.0f}/s)"
    )
    results = {
        "per_core_letters_per_second": per_core,
        "wall_clock_letters_per_second": {name: wall for name, (_, wall) in figures.items()},
        "pages": pages,
        "ratio_one_page": one_ratio,
        "ratio_five_page": five_ratio,
        "target_met": met,
        "rl_accel": accelerated(),
    }
    (ROOT / "bench" / "results-letters_pdf.json").write_text(json.dumps(results, indent=2))
    return [
        harness.Row(
            f"letter PDFs, {pages}",
            f"{per_core[f'reportlab {pages}']:.0f} letters/s per core",
            f">= {TARGET_ONE_PAGE_PER_SECOND}/s per core, >= {TARGET_RATIO}x" if pages == "one-page" else "",
            f"WeasyPrint {per_core[f'weasyprint {pages}']:.1f} letters/s per core",
            f"{ratio:.1f}x",
            harness.verdict(met and ratio >= TARGET_RATIO) if pages == "one-page" else "",
        )
        for pages, ratio in (("one-page", one_ratio), ("five-page", five_ratio))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", action="store_true", help="profile one-page rendering instead of timing it")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"timed rounds per figure (default {ROUNDS})")
    args = parser.parse_args()
    if args.profile:
        profile()
        return
    harness.print_table(run(args.rounds))


if __name__ == "__main__":
    main()
