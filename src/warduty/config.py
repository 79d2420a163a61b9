"""Settings for warduty.

Values come, in rising order of precedence, from defaults, an optional TOML file and ``WARDUTY_*``
environment variables. This is the only module that reads ``os.environ``; everything else receives a
``Settings`` object.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

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
        if isinstance(template, float):
            value = float(raw)
            if value < 0:
                raise ValueError(raw)
            return value
        if isinstance(template, int):
            value_int = int(raw)
            if value_int < 0:
                raise ValueError(raw)
            return value_int
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} has an unusable value {raw!r}") from exc


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
