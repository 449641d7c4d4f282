"""Decoding, mixing and playing the session audio."""
