"""Defendants' personal data in outputs: finding and replacing every form of their names."""

from warduty.privacy.redact import RedactionError, Redactor, redact, redact_values, redactor

__all__ = ["RedactionError", "Redactor", "redact", "redact_values", "redactor"]
