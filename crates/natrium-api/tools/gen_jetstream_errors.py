#!/usr/bin/env python3
"""Writes `src/jetstream/errors.rs` from nats-server's `server/errors.json`.

Usage (from the repository root):

    git -C /work/.mirror/nats-io+nats-server/repo show HEAD:server/errors.json > /tmp/errors.json
    python3 crates/natrium-api/tools/gen_jetstream_errors.py /tmp/errors.json <nats-server commit> \
        > crates/natrium-api/src/jetstream/errors.rs
    cargo fmt -p natrium-api

Names: nats-server's identifier without its `JS` prefix, its `F` (format) suffix and
its `Err`/`Error` suffix: `JSStreamNotFoundErr` -> `ApiErrorCode::StreamNotFound` and
`ApiError::stream_not_found()`. Placeholders `{name}` become constructor arguments.
"""
import json
import re
import sys


def rust_name(constant, description):
    name = constant[2:] if constant.startswith("JS") else constant
    if name.endswith("F") and (re.search(r"\{\w+\}", description) or name.endswith("ErrF") or name.endswith("ErrorF")):
        name = name[:-1]
    for suffix in ("Error", "Err"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.lower()


def rust_str(s):
    for ch in s:
        if ord(ch) < 0x20 or ord(ch) > 0x7E:
            raise SystemExit(f"unexpected character {ch!r} in {s!r}")
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def doc(s):
    return s.replace("[", "\\[").replace("]", "\\]").replace("<", "\\<").replace(">", "\\>")


def main():
    path, commit = sys.argv[1], sys.argv[2]
    entries = json.load(open(path))
    entries.sort(key=lambda e: e["error_code"])
    codes = [e["error_code"] for e in entries]
    assert len(codes) == len(set(codes)), "err_code reused"
    rows = []
    for e in entries:
        variant = rust_name(e["constant"], e["description"])
        args = re.findall(r"\{(\w+)\}", e["description"])
        seen = []
        for a in args:
            if a not in seen:
                seen.append(a)
        rows.append((e, variant, snake(variant), seen))
    variants = [r[1] for r in rows]
    assert len(variants) == len(set(variants)), "variant name collision"

    out = []
    w = out.append
    w("//! nats-server's JetStream error table (`server/errors.json`), every entry.")
    w("//!")
    w("//! GENERATED FILE, do not edit. Produced by `crates/natrium-api/tools/gen_jetstream_errors.py`")
    w(f"//! from nats-server's `server/errors.json` at commit {commit}")
    w(f"//! ({len(rows)} entries), then `cargo fmt`. Rerun the script to update it.")
    w("")
    w("use super::ApiError;")
    w("")
    w("/// One entry of nats-server's JetStream error table: its HTTP-style `code`, its unique")
    w("/// `err_code` and its description template (with `{name}` placeholders).")
    w("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]")
    w("pub enum ApiErrorCode {")
    for e, variant, _, _ in rows:
        w(f"    /// `{e['constant']}` ({e['code']}, {e['error_code']}): {doc(e['description'])}")
        w(f"    {variant},")
    w("}")
    w("")
    w("impl ApiErrorCode {")
    w(f"    /// Every entry, by ascending `err_code`.")
    w(f"    pub const ALL: [ApiErrorCode; {len(rows)}] = [")
    for _, variant, _, _ in rows:
        w(f"        ApiErrorCode::{variant},")
    w("    ];")
    w("")
    w("    /// The HTTP-style status (`code` in the JSON).")
    w("    pub const fn code(self) -> u16 {")
    w("        match self {")
    for e, variant, _, _ in rows:
        w(f"            ApiErrorCode::{variant} => {e['code']},")
    w("        }")
    w("    }")
    w("")
    w("    /// The unique JetStream error number (`err_code` in the JSON).")
    w("    pub const fn err_code(self) -> u16 {")
    w("        match self {")
    for e, variant, _, _ in rows:
        w(f"            ApiErrorCode::{variant} => {e['error_code']},")
    w("        }")
    w("    }")
    w("")
    w("    /// The description template, placeholders such as `{err}` unfilled.")
    w("    pub const fn template(self) -> &'static str {")
    w("        match self {")
    for e, variant, _, _ in rows:
        w(f"            ApiErrorCode::{variant} => {rust_str(e['description'])},")
    w("        }")
    w("    }")
    w("")
    w("    /// The placeholders of [`Self::template`], without braces, in order of appearance.")
    w("    pub const fn placeholders(self) -> &'static [&'static str] {")
    w("        match self {")
    for e, variant, _, args in rows:
        lst = ", ".join(rust_str(a) for a in args)
        w(f"            ApiErrorCode::{variant} => &[{lst}],")
    w("        }")
    w("    }")
    w("")
    w("    /// nats-server's Go identifier for this entry, e.g. `JSStreamNotFoundErr`.")
    w("    pub const fn constant(self) -> &'static str {")
    w("        match self {")
    for e, variant, _, _ in rows:
        w(f"            ApiErrorCode::{variant} => {rust_str(e['constant'])},")
    w("        }")
    w("    }")
    w("")
    w("    /// The entry with this `err_code`, if any.")
    w("    pub const fn from_err_code(err_code: u16) -> Option<Self> {")
    w("        match err_code {")
    for e, variant, _, _ in rows:
        w(f"            {e['error_code']} => Some(ApiErrorCode::{variant}),")
    w("            _ => None,")
    w("        }")
    w("    }")
    w("}")
    w("")
    w("/// One constructor per table entry, placeholders filled from the arguments.")
    w("impl ApiError {")
    for e, variant, fn, args in rows:
        w(f"    /// `{e['constant']}`: {doc(e['description'])}")
        if not args:
            w(f"    pub fn {fn}() -> Self {{")
            w(f"        Self::new(ApiErrorCode::{variant})")
        else:
            params = ", ".join(f"{a}: impl std::fmt::Display" for a in args)
            w(f"    pub fn {fn}({params}) -> Self {{")
            fills = ", ".join(f'("{a}", {a}.to_string())' for a in args)
            w(f"        Self::with_args(ApiErrorCode::{variant}, &[{fills}])")
        w("    }")
    w("}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
