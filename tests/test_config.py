from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from warduty.config import ConfigError, Settings, load_settings, settings_table
from warduty.jobs import client_options

README = Path(__file__).resolve().parent.parent / "README.md"


def test_defaults_and_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = load_settings(environ={"WARDUTY_CONFIG": str(tmp_path / "none.toml")})
    assert settings.min_interval == 3.0 and settings.global_interval == 0.5
    assert settings.database_url == "sqlite:///data/warduty.sqlite"
    assert not settings.show_names


def test_toml_then_environment(tmp_path: Path) -> None:
    config = tmp_path / "w.toml"
    config.write_text('[warduty]\nmin_interval = 5\ndata_dir = "/srv/w"\nshow_names = true\n')
    settings = load_settings(config, environ={"WARDUTY_MIN_INTERVAL": "7.5"})
    assert settings.min_interval == 7.5
    assert settings.data_dir == Path("/srv/w") and settings.show_names
    assert settings.database_url == "sqlite:////srv/w/warduty.sqlite"
    assert load_settings(
        config, environ={"WARDUTY_DB": "postgresql+psycopg://x@h/d"}
    ).database_url.startswith("postgresql")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WARDUTY_MIN_INTERVAL": "fast"}, "WARDUTY_MIN_INTERVAL"),
        ({"WARDUTY_MIN_INTERVAL": "-1"}, "WARDUTY_MIN_INTERVAL"),
        ({"WARDUTY_SHOW_NAMES": "perhaps"}, "WARDUTY_SHOW_NAMES"),
        ({"WARDUTY_RETRIES": "2.5"}, "WARDUTY_RETRIES"),
        ({"WARDUTY_MIN_INTERVAL": "nan"}, "WARDUTY_MIN_INTERVAL must be a finite number"),
        ({"WARDUTY_GLOBAL_INTERVAL": "-0.1"}, "WARDUTY_GLOBAL_INTERVAL must be a finite number"),
        ({"WARDUTY_COOLDOWN": "inf"}, "WARDUTY_COOLDOWN must be a finite number"),
        ({"WARDUTY_TIMEOUT": "0"}, "WARDUTY_TIMEOUT must be a finite number above zero"),
        ({"WARDUTY_RETRIES": "-1"}, "WARDUTY_RETRIES"),
        ({"WARDUTY_MAX_PAGE_BYTES": "0"}, "WARDUTY_MAX_PAGE_BYTES"),
        ({"WARDUTY_SUDRF_ORIGIN": "notaurl"}, "WARDUTY_SUDRF_ORIGIN must be a URL"),
        ({"WARDUTY_PROXY": "ftp://proxy"}, "WARDUTY_PROXY must be a URL"),
    ],
)
def test_bad_values_name_the_setting(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={**env, "WARDUTY_CONFIG": str(tmp_path / "none.toml")})


def test_broken_or_missing_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("min_interval = [")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(broken, environ={})
    broken.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(broken, environ={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", environ={})


@pytest.mark.parametrize(
    "line",
    [
        "min_interval = nan",
        "cooldown = -inf",
        "timeout = true",
        "retries = -2",
        "sudrf_origin = 'x'",
        # a wrong TOML type is refused, not guessed at
        "min_interval = '5'",
        "retries = 2.5",
        "show_names = 'yes'",
        "data_dir = 3",
        "admin_token = 123",
        "ca_bundles = 'court.example=/ca.pem'",
        "ca_bundles = { 'court.example' = 1 }",
        "ca_bundles = { 'court.example' = '' }",
    ],
)
def test_bad_toml_values_are_refused(tmp_path: Path, line: str) -> None:
    config = tmp_path / "w.toml"
    config.write_text(f"[warduty]\n{line}\n")
    with pytest.raises(ConfigError, match=line.split(" ")[0]):
        load_settings(config, environ={})


def test_zero_intervals_and_urls_are_allowed(tmp_path: Path) -> None:
    environ = {
        "WARDUTY_MIN_INTERVAL": "0",
        "WARDUTY_GLOBAL_INTERVAL": "0",
        "WARDUTY_SUDRF_ORIGIN": "http://127.0.0.1:8080",
        "WARDUTY_PROXY": "socks5://127.0.0.1:1080",
        "WARDUTY_CONFIG": str(tmp_path / "none.toml"),
    }
    settings = load_settings(environ=environ)
    assert settings.min_interval == 0.0 and settings.sudrf_origin == "http://127.0.0.1:8080"


def _sample(name: str, default: object) -> tuple[str, str, object]:
    """A value for setting ``name`` other than its default: as TOML, as an environment value, as read."""
    if isinstance(default, bool):
        return ("false", "no", False) if default else ("true", "yes", True)
    if isinstance(default, int):
        return "7", "7", 7
    if isinstance(default, float):
        return "2.5", "2.5", 2.5
    if isinstance(default, Path):
        return '"/srv/warduty"', "/srv/warduty", Path("/srv/warduty")
    if isinstance(default, dict):
        return (
            '{ "court.example" = "/etc/ca.pem", "b.example" = "/b.pem" }',
            "court.example=/etc/ca.pem, b.example=/b.pem",
            {"court.example": "/etc/ca.pem", "b.example": "/b.pem"},
        )
    text = "socks5://127.0.0.1:1080" if name == "proxy" else "http://127.0.0.1:8080"
    if name not in ("proxy", "sudrf_origin", "alert_webhook_url", "alert_base_url"):
        text = f"value of {name}"
    if name.startswith("schedule_") and name != "schedule_courts":  # a schedule has a form (see workers)
        text = "cron: */5 * * * *"
    return f'"{text}"', text, text


SAMPLES = [(f.name, *_sample(f.name, getattr(Settings(), f.name))) for f in fields(Settings)]


@pytest.mark.parametrize(("name", "toml", "env", "expected"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_every_setting_comes_from_toml_and_from_the_environment(
    tmp_path: Path, name: str, toml: str, env: str, expected: object
) -> None:
    assert getattr(Settings(), name) != expected
    for header in ("[warduty]\n", ""):  # under the [warduty] table, or at top level
        config = tmp_path / "w.toml"
        config.write_text(f"{header}{name} = {toml}\n", encoding="utf-8")
        assert getattr(load_settings(config, environ={}), name) == expected
    absent = str(tmp_path / "none.toml")
    from_env = load_settings(environ={"WARDUTY_CONFIG": absent, f"WARDUTY_{name.upper()}": env})
    assert getattr(from_env, name) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[warduty]\nmin_intreval = 5\n", "unknown setting 'min_intreval' (did you mean 'min_interval'?)"),
        ("web_secrte = 'x'\n", "unknown setting 'web_secrte'"),
        ("colour = 'red'\n", "unknown setting 'colour' (known: data_dir, db, "),
        ("min_interval = 5\n[warduty]\ntimeout = 5\n", "unknown setting 'min_interval'"),
        ("[warduty]\nretries = 1\n[warduty.extra]\nx = 1\n", "unknown setting 'extra'"),
        ("[crawl]\nproxy = 'http://p:1'\n", "unknown setting 'crawl'"),
    ],
)
def test_an_unknown_key_is_an_error_naming_it_and_the_file(tmp_path: Path, text: str, named: str) -> None:
    config = tmp_path / "w.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={})
    message = str(caught.value)
    assert str(config) in message and named in message
    assert "\n" not in message


def test_a_wrong_type_names_the_key_the_file_and_what_it_must_be(tmp_path: Path) -> None:
    config = tmp_path / "w.toml"
    config.write_text("[warduty]\nmin_interval = '5'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"w\.toml: setting 'min_interval' must be a number, not '5'"):
        load_settings(config, environ={})


@pytest.mark.parametrize("value", ["court.example", "=/ca.pem", "court.example="])
def test_bad_ca_bundles_in_the_environment(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="WARDUTY_CA_BUNDLES"):
        load_settings(environ={"WARDUTY_CONFIG": str(tmp_path / "none.toml"), "WARDUTY_CA_BUNDLES": value})


def test_ca_bundles_and_the_other_network_settings_reach_the_client(tmp_path: Path) -> None:
    config = tmp_path / "w.toml"
    config.write_text(
        "min_interval = 4\nglobal_interval = 0.25\ncooldown = 9\ntimeout = 11\nretries = 2\n"
        "max_page_bytes = 1000\nuser_agent = 'ua'\nproxy = 'http://127.0.0.1:3128'\n"
        "sudrf_origin = 'http://127.0.0.1:8080'\n[ca_bundles]\n'vo.example' = '/etc/vo.pem'\n",
        encoding="utf-8",
    )
    client = client_options(load_settings(config, environ={}))
    assert (client.host_interval, client.global_interval, client.cooldown) == (4.0, 0.25, 9.0)
    assert (client.timeout, client.retries, client.max_bytes, client.user_agent) == (11.0, 2, 1000, "ua")
    assert client.proxy == "http://127.0.0.1:3128" and client.origin == "http://127.0.0.1:8080"
    assert client.ca_bundles == {"vo.example": "/etc/vo.pem"}
    unset = client_options(Settings())
    assert unset.proxy is None and unset.origin is None and unset.ca_bundles == {}


def test_the_readme_settings_table_is_the_settings() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| setting | env | default | meaning |") :].split("\n\n")[0]
    rows = table.splitlines()
    assert rows == settings_table(), "README's settings table differs from warduty.config.settings_table()"
    assert [line.split("`")[1] for line in settings_table()[2:]] == [f.name for f in fields(Settings)]
