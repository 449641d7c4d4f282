"""Markdown: the therapist's report as plain text."""

from __future__ import annotations

from companion.core import text
from companion.export.outline import (
    Alert,
    Block,
    Bullets,
    Figure,
    EntryText,
    Heading,
    Paragraph,
    Ref,
    Section,
    Table,
    report_blocks,
    see,
)
from companion.export.selection import Report
from companion.export.view import EntryView, ReportView, build_view


def _quote(body: str) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in body.splitlines() or [""]]


def _entry(entry: EntryView) -> list[str]:
    head = []
    if entry.heading:
        head.append(f"*{entry.heading}*")
    meta = []
    if entry.tags:
        meta.append(" ".join(f"#{t}" for t in entry.tags))
    if entry.private:
        meta.append(f"({text.REPORT_PRIVATE})")
    if meta:
        head.append(" ".join(meta))
    return ([" ".join(head), ""] if head else []) + _quote(entry.text) + [""]


def _see(ref: Ref) -> str:
    """``([see Infusion 2 of 6](#infusion-2))``: a link to the section's anchor."""
    return f"([{see(ref)}](#{ref.anchor}))"


def _with_ref(line: str, ref: Ref | None) -> str:
    return f"{line} {_see(ref)}" if ref else line


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return (["| " + " | ".join(_cell(h) for h in header) + " |", "|" + " --- |" * len(header)]
            + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows] + [""])


def _anchor(name: str) -> list[str]:
    """An anchor the summary's links reach (Markdown viewers keep inline HTML)."""
    return [f'<a id="{name}"></a>', ""] if name else []


def render_blocks(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Section):
            out += _anchor(b.anchor) + render_blocks(b.blocks)
        elif isinstance(b, Heading):
            out += _anchor(b.anchor) + ["#" * b.level + " " + b.full, ""]
        elif isinstance(b, Paragraph):
            out += [_with_ref(b.text, b.ref), ""]
        elif isinstance(b, Alert):
            out += [_with_ref(f"**{b.text}**", b.ref), ""]
        elif isinstance(b, Bullets):
            out += [_with_ref(f"- {line}", ref) for line, ref in b.items] + [""]
        elif isinstance(b, Table):
            out += _table(b.header, b.rows) + ([_see(b.ref), ""] if b.ref else [])
        elif isinstance(b, EntryText):
            out += _entry(b.entry)
        elif isinstance(b, Figure):
            header, rows = b.figure.table()
            if len(header) == 2:  # one series: a list of its values
                out += [b.figure.title, ""] + [f"- {x}: {value}" for x, value in rows] + [""]
            else:
                out += [b.figure.title, ""] + _table(header, rows)
    return out


def render_view(view: ReportView) -> str:
    out = render_blocks(report_blocks(view))
    out += ["---", "", view.footer, ""]
    return "\n".join(out)


def render(report: Report) -> bytes:
    return render_view(build_view(report)).encode("utf-8")
