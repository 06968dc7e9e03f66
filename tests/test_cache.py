"""The cache key: file bytes + pipeline fingerprint; the manifest of an output directory."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from pipeline import cache
from pipeline.cache import Entry, Manifest, compute_fingerprint, file_hash, remove_output

REPO = Path(__file__).resolve().parents[1]


def test_file_hash_is_sha256_of_the_bytes(tmp_path):
    path = tmp_path / "a.pdf"
    data = b"%PDF-1.7\n" + bytes(range(256)) * 5000  # several 1 MiB chunks
    path.write_bytes(data)
    assert file_hash(path) == hashlib.sha256(data).hexdigest()


def _copy_tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for name in ("pipeline", "extractors", "models"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_fingerprint_follows_extraction_code_and_vocabulary_not_batch_machinery(tmp_path):
    root = _copy_tree(tmp_path)
    base = compute_fingerprint(root, "9.9")
    assert base.startswith("9.9+")
    assert compute_fingerprint(root, "9.9") == base
    assert compute_fingerprint(root, "9.10") != base

    # The runner, engines and corpus exports do not change a per-document result.
    (root / "pipeline" / "runner.py").write_text("# rewritten\n", encoding="utf-8")
    (root / "pipeline" / "engines.py").write_text("# rewritten\n", encoding="utf-8")
    assert compute_fingerprint(root, "9.9") == base

    extractor = sorted((root / "extractors").glob("*.py"))[0]
    extractor.write_text(extractor.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after_code = compute_fingerprint(root, "9.9")
    assert after_code != base

    (root / "models" / "extra.yaml").write_text("words: [tăng]\n", encoding="utf-8")
    assert compute_fingerprint(root, "9.9") != after_code


def test_a_new_reader_module_changes_the_fingerprint(tmp_path):
    root = _copy_tree(tmp_path)
    base = compute_fingerprint(root)
    (root / "pipeline" / "readers" / "odt.py").write_text("def read(): ...\n", encoding="utf-8")
    assert compute_fingerprint(root) != base


def test_manifest_round_trip_and_freshness(tmp_path):
    out = tmp_path / "out"
    manifest = Manifest.load(out)
    assert manifest.entries == {}
    (out / "documents" / "pdf").mkdir(parents=True)
    (out / "documents" / "pdf" / "a.pdf.json").write_text("{}", encoding="utf-8")
    manifest.record("pdf/a.pdf", Entry("h1", "v1", "documents/pdf/a.pdf.json"))
    manifest.record("b.txt", Entry("h2", "v1", "documents/b.txt.json", error="empty file"))
    manifest.save()

    loaded = Manifest.load(out)
    assert loaded.entries["b.txt"].error == "empty file"
    assert loaded.is_fresh("pdf/a.pdf", "h1", "v1", out)
    assert not loaded.is_fresh("pdf/a.pdf", "h1", "v2", out)  # other code
    assert not loaded.is_fresh("pdf/a.pdf", "h9", "v1", out)  # other bytes
    assert not loaded.is_fresh("b.txt", "h2", "v1", out)  # its JSON is gone
    assert not loaded.is_fresh("c.txt", "h2", "v1", out)  # never seen
    assert loaded.stale_sources(["pdf/a.pdf"]) == ["b.txt"]


def test_a_corrupt_or_foreign_manifest_means_a_full_run(tmp_path):
    out = tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    (out / ".cache" / "manifest.json").write_text("{not json", encoding="utf-8")
    assert Manifest.load(out).entries == {}
    (out / ".cache" / "manifest.json").write_text(json.dumps({"format": 999, "entries": {
        "a.txt": {"hash": "h", "version": "v", "output": "documents/a.txt.json"}}}), encoding="utf-8")
    assert Manifest.load(out).entries == {}


def test_remove_output_prunes_empty_directories_only(tmp_path):
    out = tmp_path / "out"
    deep = out / "documents" / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "x.pdf.json").write_text("{}", encoding="utf-8")
    (out / "documents" / "a" / "keep.txt.json").write_text("{}", encoding="utf-8")
    remove_output(out, Entry("h", "v", "documents/a/b/x.pdf.json"))
    assert not (out / "documents" / "a" / "b").exists()
    assert (out / "documents" / "a" / "keep.txt.json").exists()
    remove_output(out, Entry("h", "v", "documents/a/b/x.pdf.json"))  # twice is harmless


def test_fingerprint_of_this_checkout_is_cached_per_process():
    assert cache.pipeline_fingerprint() == cache.pipeline_fingerprint()
    assert cache.pipeline_fingerprint().startswith(cache.PIPELINE_VERSION + "+")
