"""The relevance gate: the cheap decision, before any parsing, whether a document may report an
event at all (lexical rules first, then the learned gate)."""
