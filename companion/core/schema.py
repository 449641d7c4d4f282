"""The database schema's steps by name, known without importing the store.

``companion note`` writes a journal entry with the standard library's sqlite3
alone when every step here has been applied to the patient's database (the
store's migrations record their names as they run). ``store/migrations.py``
defines the steps themselves; a test checks that the two lists agree, so a new
migration is named here too, at the end.
"""

from __future__ import annotations

from typing import Final

MIGRATIONS: Final = (
    "m001_initial",
    "m006_questionnaires",
    "m004_journal_search_and_track_ratings",
    "m005_export_log",
    "m011_urinary_told",
    "m014_record_uids",
    "m015_recordings",
    "m016_recording_moments",
)

#: How long a write waits for another process (the app, a note from the shell,
#: a backup) to finish its own before giving up; every connection sets it.
BUSY_TIMEOUT_S: Final = 15.0
