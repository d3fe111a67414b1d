#!/usr/bin/env python3
"""Recomputes the SHA-256 of every file listed in a knowledge-base manifest (kb.json).

Run it after editing any knowledge-base file:

    tools/kb_rehash.py            # rewrites kb/kb.json next to this script's repository
    tools/kb_rehash.py DIR        # rewrites DIR/kb.json
    tools/kb_rehash.py --check    # exits 1 (and changes nothing) when a hash is out of date

The manifest keeps its kb_format, version and file order; only the sha256 values change. The
knowledge-base sha256 of interfaces.md section 11 is printed at the end:
SHA-256 over "nmscds-kb <version>\\n" followed by "<file sha256>  <path>\\n" per file, sorted by path
in byte order. Standard library only.
"""

import argparse
import hashlib
import json
import os
import sys


def file_sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def kb_sha256(version, files):
    text = "nmscds-kb %s\n" % version
    for path, digest in sorted(files, key=lambda item: item[0].encode("utf-8")):
        text += "%s  %s\n" % (digest, path)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render(manifest):
    """The manifest layout used in the repository: one file per line."""
    lines = ["{"]
    lines.append('  "kb_format": %s,' % json.dumps(manifest["kb_format"]))
    lines.append('  "version": %s,' % json.dumps(manifest["version"]))
    lines.append('  "files": [')
    files = manifest["files"]
    for i, entry in enumerate(files):
        sep = "," if i + 1 < len(files) else ""
        lines.append('    {"path": %s, "sha256": %s}%s' % (json.dumps(entry["path"]), json.dumps(entry["sha256"]), sep))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    default_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "kb")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", default=default_dir, help="knowledge-base directory (default: kb/)")
    parser.add_argument("--check", action="store_true", help="only report out-of-date hashes (exit 1 if any)")
    args = parser.parse_args()

    manifest_path = os.path.join(args.dir, "kb.json")
    try:
        with open(manifest_path, "rb") as f:
            manifest = json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        print("kb_rehash: cannot read %s: %s" % (manifest_path, e), file=sys.stderr)
        return 2
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        print("kb_rehash: %s is not a knowledge-base manifest" % manifest_path, file=sys.stderr)
        return 2

    stale = []
    pairs = []
    for entry in manifest["files"]:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not path or path.startswith("/") or ".." in path.split("/"):
            print("kb_rehash: bad file entry %r" % (entry,), file=sys.stderr)
            return 2
        try:
            digest = file_sha256(os.path.join(args.dir, path))
        except OSError as e:
            print("kb_rehash: cannot read %s: %s" % (path, e), file=sys.stderr)
            return 2
        if entry.get("sha256") != digest:
            stale.append(path)
        entry["sha256"] = digest
        pairs.append((path, digest))

    if args.check:
        for path in stale:
            print("out of date: %s" % path)
        print("kb sha256 %s" % kb_sha256(manifest.get("version", ""), pairs))
        return 1 if stale else 0

    text = render(manifest)
    with open(manifest_path, "rb") as f:
        old = f.read().decode("utf-8")
    if text != old:
        with open(manifest_path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    for path in stale:
        print("updated: %s" % path)
    print("kb sha256 %s" % kb_sha256(manifest.get("version", ""), pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
