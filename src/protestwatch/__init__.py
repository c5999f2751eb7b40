"""protestwatch: news reports about protests and state repression in, evidence-linked events out."""

__version__ = "0.1.0"
# The coder's version goes into every event record: change it whenever extraction output changes.
CODER_VERSION = f"protestwatch-rules-{__version__}"
