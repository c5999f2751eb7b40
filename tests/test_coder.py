"""The coder version is computed from what decides the output: a changed lexicon line or rule gives a
new version, an unchanged tree the same one."""

import shutil
from pathlib import Path

import protestwatch
from protestwatch.coder import DECIDING_PARTS, coder_version, rules_hash

PACKAGE = Path(protestwatch.__file__).resolve().parent


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "protestwatch"
    for part in DECIDING_PARTS:
        source = PACKAGE / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            root.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / part)
    return root


def test_a_copy_of_the_package_has_the_same_rules_hash(tmp_path):
    assert rules_hash(_copy(tmp_path)) == rules_hash()


def test_one_changed_lexicon_line_changes_the_version(tmp_path):
    root = _copy(tmp_path)
    before = rules_hash(root)
    triggers = root / "lang" / "en" / "triggers.yaml"
    triggers.write_text(triggers.read_text(encoding="utf-8") + "added_by_a_test: [one more word]\n", encoding="utf-8")
    rules_hash.cache_clear()
    assert rules_hash(root) != before


def test_a_changed_rule_in_code_changes_the_version_but_a_pycache_does_not(tmp_path):
    root = _copy(tmp_path)
    before = rules_hash(root)
    (root / "extract" / "__pycache__").mkdir(exist_ok=True)
    (root / "extract" / "__pycache__" / "junk.json").write_text("{}")
    rules_hash.cache_clear()
    assert rules_hash(root) == before
    (root / "link" / "merge.py").write_text((root / "link" / "merge.py").read_text() + "\n# changed\n")
    rules_hash.cache_clear()
    assert rules_hash(root) != before


def test_the_version_reads_release_rules_and_models():
    version = coder_version()
    assert version.startswith(f"protestwatch-{protestwatch.__version__}+rules-{rules_hash()}")
