"""Defendants' personal data in outputs: finding and replacing every form of their names."""

from warduty.privacy.pseudonym import Pseudonymiser, load_or_create_secret
from warduty.privacy.redact import RedactionError, Redactor, redact, redact_values, redactor

__all__ = [
    "Pseudonymiser",
    "RedactionError",
    "Redactor",
    "load_or_create_secret",
    "redact",
    "redact_values",
    "redactor",
]
