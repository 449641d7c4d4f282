"""Every released schema version's database (tests/fixtures/schemas, made by
tests/fixtures/make_schema_fixture.py) opens in the current version with all
its data: every row and value of the manifest beside it is still there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from companion.core.schema import MIGRATIONS
from companion.store import Store
from tests.durability.conftest import rows

SCHEMAS = Path(__file__).parent.parent / "fixtures" / "schemas"
FIXTURES = sorted(SCHEMAS.glob("*.db"))


def test_there_is_a_fixture_for_a_released_schema():
    assert FIXTURES, "run: uv run python -m tests.fixtures.make_schema_fixture"


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_an_old_database_opens_with_all_its_data(fixture, paths):
    shutil.copyfile(fixture, paths.database)
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    store = Store.open(paths.database)
    try:
        applied = {r[0] for r in store.db.execute("select name from _sqlite_migrations")}
        assert set(MIGRATIONS) <= applied
        for table, old_rows in expected.items():
            now = {r["id"]: r for r in store.db[table].rows}
            for old in old_rows:
                assert old["id"] in now, f"{table} row {old['id']} is gone"
                current = now[old["id"]]
                for column, value in old.items():
                    assert current[column] == value, f"{table}.{column} of row {old['id']}"
        # And the app's own reading of it works.
        assert [i.number for i in store.sessions.completed()] == [1, 2]
        assert [h.entry.text for h in store.journal.search("weather")] == [
            "The pain felt further away, like weather passing."] * 2
        assert len(store.journal.trashed()) == 1
        assert store.measures.latest("fiqr") is not None
    finally:
        store.close()
    # Updating the schema made a copy first, when there was anything to update.
    copies = list((paths.home / "backups").glob("companion-*-before-*.db"))
    pending = len(MIGRATIONS) - len(
        rows(fixture, "select name from _sqlite_migrations"))
    assert len(copies) == pending
