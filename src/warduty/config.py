"""Settings for warduty.

Values come, in rising order of precedence, from defaults, an optional TOML file and ``WARDUTY_*``
environment variables. This is the only module that reads ``os.environ``; everything else receives a
``Settings`` object.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "WARDUTY_"
DEFAULT_CONFIG_FILE = "warduty.toml"


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable. Field names map to ``WARDUTY_<NAME>`` and to TOML keys."""

    data_dir: Path = Path("data")
    db: str = ""  # SQLAlchemy URL; empty means SQLite in data_dir
    min_interval: float = 3.0  # seconds between two requests to one court host
    global_interval: float = 0.5  # seconds between any two requests platform-wide
    cooldown: float = 1800.0  # seconds a host rests after 429 or the throttle page
    timeout: float = 60.0
    retries: int = 4
    max_page_bytes: int = 20_000_000  # a response body is not read past this (decoded) size
    user_agent: str = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
    )
    proxy: str = ""
    sudrf_origin: str = ""  # connect here instead of the court host (the replica); URLs stay real
    show_names: bool = False  # defendants' names in outputs; off means pseudonyms
    admin_token: str = ""
    admin_session_hours: float = 8.0  # an admin sign-in lasts this long at most
    admin_idle_minutes: float = 60.0  # and ends sooner after this long without a request
    forwarded_allow_ips: str = ""  # proxies whose X-Forwarded-For is believed (addresses, networks, *)
    cost_limit: int = 1  # expensive figure computations one web client may have running at once
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        if self.db:
            return self.db
        return f"sqlite:///{(self.data_dir / 'warduty.sqlite').as_posix()}"


# Numbers that must be above zero; every other number may be zero (no pause between requests, as
# against the replica) but never negative, NaN or infinite.
_POSITIVE = frozenset({"timeout", "max_page_bytes"})
# Settings that are URLs, with the schemes each accepts (empty means unset).
_URL_SCHEMES = {
    "sudrf_origin": ("http", "https"),
    "proxy": ("http", "https", "socks5", "socks5h"),
}

_BOOL_TRUE = {"1", "true", "yes", "on"}
_BOOL_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, raw: Any, template: Any) -> Any:
    """Turn a TOML or environment value into the type of the default."""
    try:
        if isinstance(template, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _BOOL_TRUE:
                return True
            if text in _BOOL_FALSE:
                return False
            raise ValueError(raw)
        if isinstance(template, Path):
            return Path(str(raw)).expanduser()
        if isinstance(template, float | int):
            if isinstance(raw, bool):  # TOML true/false would pass as 1 and 0
                raise ValueError(raw)
            value: float = float(raw) if isinstance(template, float) else int(raw)
            return check_number(name, value, positive=name.lower().removeprefix("warduty_") in _POSITIVE)
        key = name.lower().removeprefix("warduty_")
        if key in _URL_SCHEMES:
            return check_url(name, str(raw), _URL_SCHEMES[key])
        return str(raw)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} has an unusable value {raw!r}") from exc


def check_number(name: str, value: float, *, positive: bool = False) -> float:
    """``value`` if it is finite and not negative (above zero with ``positive``); else ``ConfigError``
    naming the setting or option. The CLI checks its numeric options with it too."""
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        wanted = "a finite number above zero" if positive else "a finite number, zero or more"
        raise ConfigError(f"{name} must be {wanted}, not {value!r}")
    return value


def check_url(name: str, value: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """``value`` if it is empty or an absolute URL with one of ``schemes``; else ``ConfigError``."""
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise ConfigError(f"{name} must be a URL like {schemes[0]}://127.0.0.1:8080, not {value!r}")
    return value


def load_settings(config_file: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the TOML file (if any) and the environment."""
    env = dict(os.environ if environ is None else environ)
    base = Settings()
    known = {f.name: getattr(base, f.name) for f in fields(Settings) if f.name != "extra"}
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}

    path = config_file or Path(env.get(f"{ENV_PREFIX}CONFIG", DEFAULT_CONFIG_FILE))
    if config_file is not None and not path.exists():
        raise ConfigError(f"config file {path} does not exist")
    if path.exists():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        section = table.get("warduty", table)
        for key, raw in section.items():
            if key in known:
                values[key] = _coerce(key, raw, known[key])
            else:
                extra[key] = raw

    for key, template in known.items():
        env_name = f"{ENV_PREFIX}{key.upper()}"
        if env_name in env:
            values[key] = _coerce(env_name, env[env_name], template)

    return replace(base, **values, extra=extra)
