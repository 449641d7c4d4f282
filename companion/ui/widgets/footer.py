"""The footer of every screen: the keys, with ? (the keys list) first."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """Compact, and ? first so the full list of keys is always in view. The
    palette's key (Ctrl+P) is shown on Home only: elsewhere its room goes to
    the screen's own keys, and the keys list (?) names it. Ctrl+Q (quit) is
    shown on Home and in the session, where a nurse may need it; it works
    everywhere and the keys list names it."""

    #: Actions shown after everything else, Quit included: useful, but a narrow
    #: footer may cut them, and the keys list (?) always names them. In the
    #: Experience this keeps End early and Quit in view at 80 columns.
    LATER = frozenset({"toggle_track", "steer", "skip_gently"})

    def __init__(self, palette: bool = False, quit: bool = False, **kwargs: Any) -> None:
        super().__init__(compact=True, show_command_palette=palette, **kwargs)
        self.show_quit = quit

    def compose(self) -> Any:
        widgets = [w for w in super().compose()
                   if self.show_quit or not (isinstance(w, FooterKey) and w.action == "quit")]
        first = [w for w in widgets if isinstance(w, FooterKey) and w.action == "keys"]
        later = [w for w in widgets
                 if isinstance(w, FooterKey) and w.action.partition("(")[0] in self.LATER]
        return first + [w for w in widgets if w not in first and w not in later] + later
