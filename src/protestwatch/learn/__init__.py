"""The learned parts: the shipped models (relevance gate, ACLED sub-type) and their loading. Training
them is the `train` job (protestwatch.train), which runs the whole pipeline for its features."""
