"""FIQR item wording: the bundled file and a clinic's own file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from companion.core.measures import (
    FIQR_DOMAINS,
    FIQR_ITEM_DOMAIN,
    FIQR_ITEMS,
    MeasuresError,
    load_fiqr_items,
)

BUNDLED = (
    Path(__file__).resolve().parents[2]
    / "companion"
    / "core"
    / "data"
    / "fiqr_items.toml"
)


def test_bundled_wording_loads_all_items_in_order():
    wording = load_fiqr_items()
    assert [item.key for item in wording.items] == list(FIQR_ITEMS)
    assert set(wording.prompts) == set(FIQR_DOMAINS)
    for item in wording.items:
        assert item.domain == FIQR_ITEM_DOMAIN[item.key]
        assert item.label and item.low and item.high
        assert len(item.label) <= 60, item.key  # short, plain labels
    assert wording.item("pain").label == "Pain"
    assert len(wording.domain_items("function")) == 9
    assert wording.source


def test_item_lookup_of_unknown_key_raises_key_error():
    with pytest.raises(KeyError):
        load_fiqr_items().item("nope")


def test_explicit_path_to_the_bundled_file_gives_the_same_wording():
    assert load_fiqr_items(BUNDLED) == load_fiqr_items()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wording.toml"
    path.write_text(text, encoding="utf-8")
    return path


def bundled_text() -> str:
    return BUNDLED.read_text(encoding="utf-8")


def test_a_clinic_file_with_its_own_words_loads(tmp_path):
    text = bundled_text().replace('label = "Pain"', 'label = "How much it hurt"')
    text = text.replace(
        'source = "companion default wording"', 'source = "Example clinic, 2026"'
    )
    wording = load_fiqr_items(write(tmp_path, text))
    assert wording.item("pain").label == "How much it hurt"
    assert wording.source == "Example clinic, 2026"


def test_source_is_optional(tmp_path):
    text = bundled_text().replace('source = "companion default wording"\n', "")
    assert load_fiqr_items(write(tmp_path, text)).source is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("schema = 1", "schema = 2", "'schema' must be 1"),
        ("schema = 1", "", "'schema' must be 1"),
        ("schema = 1", "schema = 1\ncolour = 'red'", "unknown top-level key colour"),
        ("[items.pain]", "[items.pains]", "unknown item pains"),
        ('label = "Pain"\n', "", "items.pain.label must be a non-empty string"),
        (
            'label = "Pain"',
            'label = "   "',
            "items.pain.label must be a non-empty string",
        ),
        ('label = "Pain"', "label = 3", "items.pain.label must be a non-empty string"),
        (
            'label = "Pain"',
            'label = "Pain"\nhint = "x"',
            "items.pain has unknown key hint",
        ),
        ('label = "Pain"', 'label = "' + "x" * 301 + '"', "longer than 300"),
        ("[prompts]", "[prompts]\nextra = 'x'", "unknown prompt extra"),
        (
            'overall = "Over the past 7 days, how often was this true for you?"\n',
            "",
            "prompts.overall",
        ),
        ("[items.pain]", "[items.pain]\n[oops", "not valid TOML"),
        ('source = "companion default wording"', "source = 5", "source must be"),
    ],
)
def test_bad_clinic_files_are_refused_with_a_reason(tmp_path, old, new, message):
    text = bundled_text()
    assert old in text
    path = write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(MeasuresError, match=message) as caught:
        load_fiqr_items(path)
    assert str(path) in str(caught.value)


def test_missing_item_is_named(tmp_path):
    data = tomllib.loads(bundled_text())
    lines = bundled_text().split("\n")
    start = lines.index("[items.balance]")
    del lines[start : start + 4]
    assert "balance" in data["items"]
    with pytest.raises(MeasuresError, match="missing item balance"):
        load_fiqr_items(write(tmp_path, "\n".join(lines)))


def test_missing_tables_are_refused(tmp_path):
    with pytest.raises(MeasuresError, match=r"\[prompts\] table is required"):
        load_fiqr_items(write(tmp_path, "schema = 1\n"))
    with pytest.raises(MeasuresError, match=r"\[items\] table is required"):
        load_fiqr_items(
            write(
                tmp_path,
                'schema = 1\n[prompts]\nfunction = "a"\noverall = "b"\nsymptoms = "c"\n',
            )
        )
    text = bundled_text()
    block = (
        '[items.pain]\nlabel = "Pain"\nlow = "No pain"\nhigh = "Pain I can\'t bear"\n'
    )
    assert block in text
    text = text.replace(block, "").replace("schema = 1", 'schema = 1\nitems.pain = "x"')
    with pytest.raises(MeasuresError, match="items.pain must be a table"):
        load_fiqr_items(write(tmp_path, text))


def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(MeasuresError, match="cannot read the file"):
        load_fiqr_items(tmp_path / "absent.toml")
    with pytest.raises(MeasuresError, match="cannot read the file"):
        load_fiqr_items(tmp_path)  # a directory
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(MeasuresError, match="cannot read the file"):
        load_fiqr_items(binary)
