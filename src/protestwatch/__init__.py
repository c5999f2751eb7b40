"""protestwatch: news reports about protests and state repression in, evidence-linked events out."""

__version__ = "0.1.0"


def coder_version() -> str:
    """The coder that produced a record: the rules' version and the relevance model's hash.
    Bump __version__ whenever extraction output changes; retraining changes the hash by itself."""
    from protestwatch.relevance import current_model

    model = current_model()
    return f"protestwatch-rules-{__version__}" + (f"+relevance-{model.version}" if model else "")
