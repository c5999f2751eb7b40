"""protestwatch: news reports about protests and state repression in, evidence-linked events out."""

__version__ = "0.1.0"


def coder_version() -> str:
    """The coder that produced a record: the rules' version and the trained models' hashes.
    Bump __version__ whenever extraction output changes; retraining changes the hash by itself."""
    from protestwatch.learn import relevance, subtype

    version = f"protestwatch-rules-{__version__}"
    if model := relevance.current_model():
        version += f"+relevance-{model.version}"
    if model := subtype.current_model():
        version += f"+subtype-{model.version}"
    return version
