"""Model set-up per language: loading the pipeline once per process, the report-aware sentence
splitter and the cached attribute ruler."""

from protestwatch.nlp.models import MODELS, load_model, supported

__all__ = ["MODELS", "load_model", "supported"]
