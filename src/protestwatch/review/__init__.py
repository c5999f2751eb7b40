"""Review: reviewers, corrections, merges and splits (corrections), the event queries that read
them (query), and the HTTP app with its page (web/)."""
