"""The exception tree, the settings object and how the CLI maps errors to exit codes, in
process (no subprocess, no pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from presstrace import errors, settings
from presstrace.cli import main
from presstrace.extract._data import AliasFileError, alias_table
from presstrace.group.taxonomy import TaxonomyError, configured_files, shipped_files
from presstrace.store import StoreError, resolve_db
from presstrace.store.timeline import TimelineError


def test_every_user_facing_error_is_a_presstrace_error():
    for cls in (StoreError, AliasFileError, TaxonomyError, TimelineError, errors.EngineError):
        assert issubclass(cls, errors.PresstraceError)
    assert issubclass(TaxonomyError, ValueError)  # as before the tree: callers may catch it
    assert errors.UsageError.exit_code == 2 and StoreError.exit_code == 1


def test_environment_is_read_into_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("PRESSTRACE_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("PRESSTRACE_TAXONOMIES", f"a.yaml{__import__('os').pathsep}b.yaml")
    monkeypatch.setenv("PRESSTRACE_CACHE", str(tmp_path))
    monkeypatch.delenv("PRESSTRACE_ALIASES", raising=False)
    now = settings.current()
    assert now.db == str(tmp_path / "env.db") and now.cache_dir == tmp_path
    assert now.taxonomies == (Path("a.yaml"), Path("b.yaml")) and now.aliases is None
    assert configured_files() == [Path("a.yaml"), Path("b.yaml")]
    assert resolve_db(None) == str(tmp_path / "env.db")
    assert resolve_db("given.db") == "given.db"  # the option wins


def test_overrides_win_over_the_environment_and_reset(monkeypatch):
    monkeypatch.setenv("PRESSTRACE_DB", "env.db")
    try:
        settings.configure(db="option.db", aliases=None)
        assert settings.current().db == "option.db"
    finally:
        settings.reset()
    assert settings.current().db == "env.db"
    with pytest.raises(TypeError):
        settings.configure(no_such_setting=1)


def test_blank_variables_are_unset(monkeypatch):
    monkeypatch.setenv("PRESSTRACE_TAXONOMIES", "  ")
    assert configured_files() == shipped_files()


def test_alias_file_from_the_environment_fails_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PRESSTRACE_ALIASES", str(tmp_path / "missing.yaml"))
    with pytest.raises(errors.ConfigError, match="missing.yaml: cannot read the alias file"):
        alias_table()


def test_cli_prints_one_line_and_the_class_exit_code(tmp_path, capsys):
    assert main(["--db", str(tmp_path), "stats"]) == 1  # a folder is not a store
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and err.startswith("presstrace: ")
    assert "is a directory" in err
