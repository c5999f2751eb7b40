"""protestwatch: news reports about protests and state repression in, evidence-linked events out."""

__version__ = "0.2.0"
