"""Text cleaning shared by every format: word-processor artifacts out, line breaks normalised."""

from __future__ import annotations

import re

# "[bookmark: _GoBack]" and similar markers that Word-to-text converters leave behind.
_ARTIFACTS = re.compile(r"\[(?:bookmark|anchor|image|footnote ref)[^\]]{0,80}\]", re.IGNORECASE)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ARTIFACTS.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n ")
