"""The footer of every screen: the keys, with ? (the keys list) first."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """Compact, and ? first so the full list of keys is always in view."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)

    def compose(self) -> Any:
        widgets = list(super().compose())
        first = [w for w in widgets if isinstance(w, FooterKey) and w.action == "keys"]
        return first + [w for w in widgets if w not in first]
