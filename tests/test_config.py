from __future__ import annotations

from pathlib import Path

import pytest

from warduty.config import ConfigError, load_settings


def test_defaults_and_sqlite_in_data_dir(tmp_path: Path) -> None:
    settings = load_settings(environ={"WARDUTY_CONFIG": str(tmp_path / "none.toml")})
    assert settings.min_interval == 3.0 and settings.global_interval == 0.5
    assert settings.database_url == "sqlite:///data/warduty.sqlite"
    assert not settings.show_names


def test_toml_then_environment(tmp_path: Path) -> None:
    config = tmp_path / "w.toml"
    config.write_text('[warduty]\nmin_interval = 5\ndata_dir = "/srv/w"\nshow_names = true\nnew_key = 1\n')
    settings = load_settings(config, environ={"WARDUTY_MIN_INTERVAL": "7.5"})
    assert settings.min_interval == 7.5
    assert settings.data_dir == Path("/srv/w") and settings.show_names
    assert settings.extra == {"new_key": 1}
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
    "line", ["min_interval = nan", "cooldown = -inf", "timeout = true", "retries = -2", "sudrf_origin = 'x'"]
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
