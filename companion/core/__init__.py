"""Pure Python: models, rules, scoring, session plan and all user-facing copy.

Nothing in this package imports Textual, pydub, miniaudio or sqlite-utils.
"""
