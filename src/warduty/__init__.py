"""warduty: prosecutions of Russian soldiers who leave the war, counted from military-court websites."""

__version__ = "0.1.0"
