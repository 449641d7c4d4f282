"""The generated music rendered ahead (render_ahead, on by default): at Home the app renders
what the next infusion plays; the Experience plays it like a recording, stops a render still
at work, goes live where the patient steers; after the Experience the next one is rendered."""

from __future__ import annotations

from companion.audio.scores import PART, RenderedScore
from companion.ui.stages.experience import ExperiencePane
from tests.ui.helpers import music_playing, wait_until

BRIEF = """name = "Brief"
session = "0:50"
crossfade = 4
fade_in = 2
fade_out = 4
bed = "silence"

[[phases]]
name = "settle"
[[phases.tracks]]
generate = "ambient"
mood = "settle"
length = "0:25"
seed = 1

[[phases]]
name = "plateau"
[[phases.tracks]]
generate = "ambient"
mood = "plateau"
length = "0:30"
seed = 3
"""


def _renders(paths) -> list[str]:  # type: ignore[no-untyped-def]
    folder = paths.cache / "scores"
    """The renders in the cache folder (finished, or ``.part`` while at work)."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".mp3", ".ogg", PART)))


def _voices(app):  # type: ignore[no-untyped-def]
    return list(app.player._mixer._voices.values())


async def test_home_renders_the_next_music_and_the_experience_plays_it_until_steered(build_app, paths):
    paths.playlists.mkdir(parents=True, exist_ok=True)
    (paths.playlists / "brief.toml").write_text(BRIEF, encoding="utf-8")
    app = build_app(render_ahead=True, playlist="brief")
    async with app.run_test(size=(100, 30)) as pilot:
        # nothing pressed: Home renders the two generated tracks in the background
        await wait_until(pilot, lambda: len(_renders(paths)) == 2 and not app._renderer.running, timeout=60)
        assert not [name for name in _renders(paths) if name.endswith(PART)]
        assert {name.split("-")[2] for name in _renders(paths)} == {"settle", "plateau"}

        await pilot.press("enter", "y", "ctrl+n", "ctrl+n")  # begin, then to the Experience
        await music_playing(pilot)
        await wait_until(pilot, lambda: bool(_voices(app)))
        voice = _voices(app)[0]
        assert isinstance(voice.source, RenderedScore) and not voice.source.live  # decoded, not synthesised

        await pilot.press("d")  # deeper: the score changes from here, so it is made live
        await wait_until(pilot, lambda: voice.source.live)
        pane = app.screen.query_one(ExperiencePane)

        def notes() -> list[str]:
            return [moment.note.lower() for moment in app.store.sessions.moments(pane.infusion_id)]

        await wait_until(pilot, lambda: bool(notes()))  # kept as a moment, as before (through the autosave)
        assert "deeper" in notes()[-1]


async def test_an_experience_stops_a_render_at_work_and_the_next_infusion_is_rendered_after(build_app, paths):
    paths.playlists.mkdir(parents=True, exist_ok=True)
    (paths.playlists / "brief.toml").write_text(BRIEF, encoding="utf-8")
    # the default's 85 minutes take over a minute to render: still at work when the Experience begins
    app = build_app(render_ahead=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app._renderer is not None and app._renderer.running, timeout=30)
        await pilot.press("enter", "y", "ctrl+n", "ctrl+n")
        await music_playing(pilot)
        assert not app._renderer.running  # the computer is the music's now
        assert not [name for name in _renders(paths) if name.endswith(PART)]
        assert isinstance(_voices(app)[0].source, object)
        assert not isinstance(_voices(app)[0].source, RenderedScore)  # not rendered: made live

    # the next infusion, a new variation: once this Experience ends, its music is rendered
    app = build_app(render_ahead=True, playlist="brief", music_variation="new")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.5)
        if not app.screen.query(ExperiencePane):
            await pilot.press("enter")  # resume the infusion in progress
        await music_playing(pilot)
        await pilot.press("e", "y")  # end early, and confirm
        await wait_until(pilot, lambda: len([n for n in _renders(paths) if not n.endswith(PART)]) == 2
                         and not app._renderer.running, timeout=60)
        seeds = sorted(int(name.split("-")[3]) for name in _renders(paths))
        assert seeds == [(1 + 2) % 8, (3 + 2) % 8]  # infusion 2's variation of the brief playlist
