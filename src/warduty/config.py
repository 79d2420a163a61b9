"""Settings for warduty.

Values come, in rising order of precedence, from defaults, an optional TOML file and ``WARDUTY_*``
environment variables. This is the only module that reads ``os.environ``; everything else receives a
``Settings`` object.
"""

from __future__ import annotations

import difflib
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warduty.workers.schedule import JOBS, ScheduleError, parse_entry

ENV_PREFIX = "WARDUTY_"
DEFAULT_CONFIG_FILE = "warduty.toml"
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


def _about(meaning: str, *, shown: str = "") -> dict[str, str]:
    """A setting's meaning and its default as the docs print it (``shown``): the README table and
    ``docs/cli.md`` are made from these, so they cannot drift from the fields."""
    return {"meaning": meaning, "shown": shown}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable. Field names map to ``WARDUTY_<NAME>`` and to TOML keys."""

    data_dir: Path = field(
        default=Path("data"), metadata=_about("where the SQLite database, archives and outputs go")
    )
    db: str = field(
        default="",
        metadata=_about(
            "SQLAlchemy URL, e.g. `postgresql+psycopg://user@host/db`", shown="SQLite file in `data_dir`"
        ),
    )
    min_interval: float = field(
        default=3.0, metadata=_about("seconds between two requests to one court host")
    )
    global_interval: float = field(default=0.5, metadata=_about("seconds between any two requests"))
    cooldown: float = field(
        default=1800.0, metadata=_about("seconds a host rests after HTTP 429 or the throttle page")
    )
    timeout: float = field(default=60.0, metadata=_about("request timeout, seconds"))
    retries: int = field(default=4, metadata=_about("retries on 5xx, timeouts, dropped connections"))
    max_page_bytes: int = field(
        default=20_000_000, metadata=_about("a response body is not read past this size (decoded bytes)")
    )
    user_agent: str = field(
        default=DEFAULT_USER_AGENT,
        metadata=_about("the User-Agent header sent to the court sites", shown="a desktop Chrome"),
    )
    proxy: str = field(default="", metadata=_about("HTTP(S) or SOCKS proxy URL"))
    sudrf_origin: str = field(
        default="",
        metadata=_about("connect here instead of the court hosts (the replica); stored URLs stay real"),
    )
    show_names: bool = field(
        default=False, metadata=_about("show defendants' names in outputs instead of pseudonyms")
    )
    admin_token: str = field(default="", metadata=_about("token for the dashboard's admin actions"))
    admin_session_hours: float = field(
        default=8.0, metadata=_about("an admin sign-in lasts at most this long")
    )
    admin_idle_minutes: float = field(
        default=60.0, metadata=_about("and ends after this long without a request")
    )
    forwarded_allow_ips: str = field(
        default="",
        metadata=_about(
            "proxies whose `X-Forwarded-For` is believed (`serve --forwarded-allow-ips`)", shown="— (none)"
        ),
    )
    cost_limit: int = field(
        default=1, metadata=_about("figure computations one web client may have running at once")
    )
    web_secret: str = field(
        default="",
        metadata=_about(
            "key of the dashboard's pseudonyms; keep it secret, 32 characters or more",
            shown="random, kept in `data_dir/web-secret`",
        ),
    )
    ca_bundles: Mapping[str, str] = field(
        default_factory=dict,
        metadata={
            "meaning": "CA bundle file per court host, for sites whose certificate chain is incomplete: a "
            'TOML table `ca_bundles` of `"host" = "path"`; in the environment `host=path,...`',
            "shown": "—",
        },
    )

    # -- alerts (warduty.alerts; docs/alerts.md) --------------------------------------------------------
    alert_unavailable_runs: int = field(
        default=3, metadata=_about("alert when a court answers nothing in this many crawls in a row")
    )
    alert_base_url: str = field(
        default="",
        metadata=_about(
            "the dashboard's public address, for the links in webhook and e-mail alerts", shown="—"
        ),
    )
    alert_webhook_url: str = field(
        default="", metadata=_about("POST each alert as signed JSON here", shown="— (off)")
    )
    alert_webhook_secret: str = field(
        default="", metadata=_about("shared secret of the webhook's HMAC-SHA256 signature", shown="—")
    )
    alert_smtp_host: str = field(
        default="", metadata=_about("SMTP server that sends alert e-mails", shown="— (off)")
    )
    alert_smtp_port: int = field(default=587, metadata=_about("its port (465: SMTPS)"))
    alert_smtp_starttls: bool = field(
        default=True, metadata=_about("upgrade the SMTP connection with STARTTLS")
    )
    alert_smtp_user: str = field(
        default="", metadata=_about("SMTP login, if the server wants one", shown="—")
    )
    alert_smtp_password: str = field(default="", metadata=_about("SMTP password", shown="—"))
    alert_email_from: str = field(default="", metadata=_about("the alert e-mails' From address", shown="—"))
    alert_email_to: str = field(
        default="", metadata=_about("recipients of alert e-mails, comma-separated", shown="—")
    )
    alert_timeout: float = field(
        default=10.0, metadata=_about("seconds a webhook or SMTP server may take to answer")
    )

    # -- schedule (issue 14): the periodic jobs `warduty worker` runs; TOML: a [schedule] table whose keys
    # are the names without "schedule_" (crawl = "06:00"). Empty: the job is not scheduled.
    schedule_crawl: str = field(
        default="", metadata=_about("daily incremental crawl at `HH:MM` Moscow time (`warduty schedule`)")
    )
    schedule_recheck: str = field(
        default="", metadata=_about("weekly re-check of every listing, `DAY HH:MM` (e.g. `sun 03:00`)")
    )
    schedule_briefing: str = field(
        default="", metadata=_about("the previous month's briefing on the Nth working day, `N HH:MM`")
    )
    schedule_asylum: str = field(
        default="", metadata=_about("monthly asylum fetch on a day of the month, `D HH:MM`")
    )
    schedule_courts: str = field(
        default="", metadata=_about("court codes the scheduled crawls visit, comma-separated", shown="all")
    )

    @property
    def database_url(self) -> str:
        if self.db:
            return self.db
        return f"sqlite:///{(self.data_dir / 'warduty.sqlite').as_posix()}"


# Numbers that must be above zero; every other number may be zero (no pause between requests, as
# against the replica) but never negative, NaN or infinite.
_POSITIVE = frozenset({"timeout", "max_page_bytes", "alert_timeout", "alert_smtp_port"})
# Settings that are URLs, with the schemes each accepts (empty means unset).
_URL_SCHEMES = {
    "sudrf_origin": ("http", "https"),
    "proxy": ("http", "https", "socks5", "socks5h"),
    "alert_webhook_url": ("http", "https"),
    "alert_base_url": ("http", "https"),
}

_BOOL_TRUE = {"1", "true", "yes", "on"}
_BOOL_FALSE = {"0", "false", "no", "off", ""}


def setting_names() -> tuple[str, ...]:
    """Every setting, in declaration order: the TOML keys; ``WARDUTY_<NAME>`` in the environment."""
    return tuple(f.name for f in fields(Settings))


def settings_table() -> list[str]:
    """The settings as Markdown table rows (setting, env, default, meaning): the README and the CLI
    reference print exactly these."""
    base = Settings()
    rows = ["| setting | env | default | meaning |", "|---|---|---|---|"]
    for f in fields(Settings):
        value = getattr(base, f.name)
        shown = f.metadata.get("shown") or _shown(value)
        env = f"{ENV_PREFIX}{f.name.upper()}"
        rows.append(f"| `{f.name}` | `{env}` | {shown} | {f.metadata.get('meaning', '')} |")
    return rows


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value in ("", None):
        return "—"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    return f"`{value}`"


def _kind(template: object) -> str:
    """What a person must write for a setting whose default is ``template``."""
    if isinstance(template, bool):
        return "true or false"
    if isinstance(template, int):
        return "a whole number"
    if isinstance(template, float):
        return "a number"
    if isinstance(template, Mapping):
        return "a table of host = CA bundle path"
    return "a string"


def _from_toml(key: str, raw: object, template: object) -> object:
    """A TOML value of the setting ``key``, which must already have the setting's type (TOML is typed:
    ``min_interval = "5"`` is a mistake to report, not a string to guess at)."""
    if isinstance(template, bool):
        ok = isinstance(raw, bool)
    elif isinstance(template, int):
        ok = isinstance(raw, int) and not isinstance(raw, bool)
    elif isinstance(template, float):
        ok = isinstance(raw, int | float) and not isinstance(raw, bool)
    elif isinstance(template, Mapping):
        ok = isinstance(raw, dict) and all(isinstance(v, str) for v in raw.values())
    else:
        ok = isinstance(raw, str)
    if not ok:
        raise ConfigError(f"setting {key!r} must be {_kind(template)}, not {raw!r}")
    return _checked(key, raw, template)


def _from_env(name: str, text: str, template: object) -> object:
    """An environment value (always text) read as the type of the setting whose default is ``template``."""
    try:
        if isinstance(template, bool):
            lowered = text.strip().lower()
            if lowered not in _BOOL_TRUE | _BOOL_FALSE:
                raise ValueError(text)
            return lowered in _BOOL_TRUE
        if isinstance(template, int):
            return _checked(name, int(text), template)
        if isinstance(template, float):
            return _checked(name, float(text), template)
        if isinstance(template, Mapping):
            return _checked(name, _pairs(text), template)
    except ConfigError:
        raise
    except ValueError as exc:
        raise ConfigError(f"setting {name!r} must be {_kind(template)}, not {text!r}") from exc
    return _checked(name, text, template)


def _pairs(text: str) -> dict[str, str]:
    """``host=path,host=path``: the environment's form of a table."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        host, sep, path = item.partition("=")
        if not sep:
            raise ValueError(item)
        pairs[host.strip()] = path.strip()
    return pairs


def _checked(name: str, value: Any, template: object) -> Any:
    """``value``, already of the setting's type, checked for range and form (``name``: key or variable)."""
    key = name.lower().removeprefix(ENV_PREFIX.lower())
    if isinstance(template, Path):
        return Path(value).expanduser()
    if isinstance(template, int | float) and not isinstance(template, bool):
        number = float(value) if isinstance(template, float) else int(value)
        return check_number(name, number, positive=key in _POSITIVE)
    if isinstance(template, Mapping):
        for host, path in value.items():
            if not host or not path:
                raise ConfigError(
                    f"setting {name!r} maps a host to a CA bundle file, not {host!r} to {path!r}"
                )
        return dict(value)
    if key in _URL_SCHEMES:
        return check_url(name, value, _URL_SCHEMES[key])
    if key.startswith(SCHEDULE_PREFIX) and key != "schedule_courts" and value.strip():
        try:
            parse_entry(key.removeprefix(SCHEDULE_PREFIX), value)
        except ScheduleError as exc:
            raise ConfigError(f"setting {name!r}: {exc}") from None
    return value


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
    """Read settings from the TOML file (if any) and the environment.

    Raises :class:`ConfigError` (one line naming the setting, and the file for TOML) for an unknown key (a
    typo would otherwise leave the default silently in force), a value of the wrong type or out of range.
    """
    env = dict(os.environ if environ is None else environ)
    base = Settings()
    known = {name: getattr(base, name) for name in setting_names()}
    values: dict[str, Any] = {}

    path = config_file or Path(env.get(f"{ENV_PREFIX}CONFIG", DEFAULT_CONFIG_FILE))
    if config_file is not None and not path.exists():
        raise ConfigError(f"config file {path} does not exist")
    if path.exists():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        section = table.get("warduty", table)
        if not isinstance(section, dict):
            raise ConfigError(f"config file {path}: [warduty] must be a table of settings")
        # Beside a [warduty] table anything else is a mistake too (say, a setting above its header).
        beside = (
            [key for key in table if key not in ("warduty", SCHEDULE_TABLE)] if section is not table else []
        )
        section = _lift_schedule(path, section, table.get(SCHEDULE_TABLE) if section is not table else None)
        unknown = [key for key in section if key not in known] + beside
        if unknown:
            raise ConfigError(f"config file {path}: {_unknown(unknown[0], known)}")
        for key, raw in section.items():
            try:
                values[key] = _from_toml(key, raw, known[key])
            except ConfigError as exc:
                raise ConfigError(f"config file {path}: {exc}") from None

    for key, template in known.items():
        env_name = f"{ENV_PREFIX}{key.upper()}"
        if env_name in env:
            values[key] = _from_env(env_name, env[env_name], template)

    return replace(base, **values)


def _unknown(key: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
    return f"unknown setting {key!r} ({hint})"


# -- schedule (issue 14) ---------------------------------------------------------------------------------
SCHEDULE_TABLE = "schedule"
SCHEDULE_PREFIX = "schedule_"


def _lift_schedule(path: Path, section: dict[str, Any], beside: object) -> dict[str, Any]:
    """The settings with a ``[schedule]`` table (inside ``[warduty]`` or beside it) as ``schedule_*`` keys."""
    lifted = {key: value for key, value in section.items() if key != SCHEDULE_TABLE}
    for table in (section.get(SCHEDULE_TABLE), beside):
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ConfigError(f"config file {path}: [schedule] must be a table of jobs ({', '.join(JOBS)})")
        for job, value in table.items():
            if job not in (*JOBS, "courts"):
                close = difflib.get_close_matches(job, [*JOBS, "courts"], n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join([*JOBS, 'courts'])}"
                raise ConfigError(f"config file {path}: unknown key {job!r} in [schedule] ({hint})")
            lifted[SCHEDULE_PREFIX + job] = value
    return lifted
