"""Every screen of the app with data in it: the seed and the keys that reach
each screen from Home. Shared by the snapshot tests (80x24, 100x30) and the
small-terminal tests (60x20)."""

from __future__ import annotations

from companion.core import measures as m
from companion.core.clock import FakeClock
from companion.paths import Paths
from companion.store import Store
from companion.store.measures import FIQR


def seed(paths: Paths, clock: FakeClock) -> None:
    """One finished infusion with ratings, moments and two tracks rated,
    journal pages (one in the trash) and a finished FIQR; the clock is left
    two days later."""
    store = Store.open(paths.database, clock)
    try:
        sessions = store.sessions
        infusion = sessions.begin("default")
        for name, value in (("pain", 7), ("mood", 4), ("anxiety", 3)):
            sessions.save_rating(infusion.id, "pre", name, value)
        sessions.advance(infusion.id)  # Intention
        store.journal.save_for(infusion.id, "intention", "", "rest and soften")
        sessions.advance(infusion.id)  # Experience
        sessions.experience_started(infusion.id)
        sessions.mark_moment(infusion.id, 600.0, "Slow Tide", "descent")
        sessions.mark_moment(infusion.id, 2400.0, "Open Field", "plateau")
        sessions.experience_ended(infusion.id, 85 * 60.0, early=False)
        sessions.advance(infusion.id)  # Integration
        for name, value in (("pain", 4), ("mood", 6), ("anxiety", 2)):
            sessions.save_rating(infusion.id, "post", name, value)
        store.journal.save_for(infusion.id, "integration", "experience",
                               "Colours and warmth, a long quiet field.")
        store.journal.rate_track(infusion.id, "Slow Tide", "resonated")
        store.journal.rate_track(infusion.id, "Open Field", "not_for_me")
        sessions.advance(infusion.id)  # complete
        store.journal.add("Walked to the bakery and back without resting. Slept well.",
                          tags=["walking", "sleep"])
        store.journal.add("A heavy day; the hips ached in the evening.", tags=["pain"])
        gone = store.journal.add("A page written by mistake.")
        store.journal.delete(gone.id)
        answers = m.fiqr_answers_to_dict(m.FiqrAnswers({key: 5 for key in m.FIQR_ITEMS}))
        store.measures.complete(store.measures.start(FIQR).id, answers)
    finally:
        store.close()
    clock.advance(days=2)


#: name -> keys pressed from Home to reach the screen.
SCREENS: dict[str, tuple[str, ...]] = {
    "home": (),
    "preparation": ("enter", "y"),
    "intention": ("enter", "y", "ctrl+s"),
    "experience": ("enter", "y", "ctrl+s", "ctrl+s"),
    "integration": ("enter", "y", "ctrl+s", "ctrl+s", "ctrl+s", "y"),
    "journal": ("j",),
    "entry": ("j", "n"),
    "infusion_journal": ("j", "down", "down", "i"),  # the third page is the infusion's
    "trash": ("j", "t"),
    "tracks": ("j", "r"),
    "checkin": ("c",),
    "fiqr": ("f",),
    "acr": ("a",),
    "progress": ("p",),
    "series": ("s",),
    "export": ("e",),
    "privacy": ("l",),
    "help": ("question_mark",),
}
