"""The web dashboard and JSON API (FastAPI): ``create_app(settings)``; ``warduty serve`` runs it."""

from warduty.web.app import create_app

__all__ = ["create_app"]
