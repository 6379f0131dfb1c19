"""Ruby apps: Gemfile (and Gemfile.lock), installed with bundler."""

from __future__ import annotations

import re
from pathlib import Path

from pydokku.plugins.builder_auto import plan as p
from pydokku.plugins.builder_auto.stacks import STACKS

DEFAULT_VERSION = "3.3"
BUNDLE_PATH = "/opt/bundle"
CA_FILE = "/etc/ssl/certs/ca-certificates.crt"
# Official slim images have no compiler; many gems (puma, nio4r, json) build native code.
_COMPILERS = (
    "apt-get update -q && apt-get install -y -q --no-install-recommends build-essential "
    "libyaml-dev && apt-get clean && rm -rf /var/lib/apt/lists/*"
)


def detect(source: Path) -> bool:
    """Tell whether the source is a Ruby app."""
    return p.is_file(source, "Gemfile")


def plan(source: Path, base: p.Base) -> p.BuildPlan:
    """Return the build plan of a Ruby app."""
    wanted, version_file = requested_version(source)
    if base.offline:
        version = STACKS["ruby"].version
        image = base.stack("ruby")
    else:
        version = wanted or DEFAULT_VERSION
        image = f"ruby:{version}-slim"
    locked = p.is_file(source, "Gemfile.lock")
    env = {
        "BUNDLE_PATH": BUNDLE_PATH,
        "BUNDLE_WITHOUT": "development:test",
        "RACK_ENV": "production",
        "RAILS_ENV": "production",
    }
    if locked:
        env["BUNDLE_DEPLOYMENT"] = "1"
    gemspecs = sorted(x.name for x in source.glob("*.gemspec") if x.is_file())
    result = p.BuildPlan(
        "ruby",
        "Gemfile, Gemfile.lock, bundler" if locked else "Gemfile, bundler",
        version,
        image,
        stacks=["ruby"] if base.offline else [],
        env=env,
        ca_env={"SSL_CERT_FILE": CA_FILE},
        setup=[] if base.offline else [_COMPILERS],
        manifests=p.existing(source, ["Gemfile", "Gemfile.lock", ".ruby-version", *gemspecs]),
        install=["bundle install --jobs 4"],
        web=default_web(source),
    )
    if not locked:
        result.warnings.append("no Gemfile.lock: gem versions may change between builds")
    if base.offline and wanted:
        note = p.offline_version_note("Ruby", wanted, version, version_file)
        if note:
            result.warnings.append(note)
    return result


def requested_version(source: Path) -> tuple[str, str]:
    """Return the Ruby version the app asks for and the file saying so ('' if none)."""
    text = p.read_text(source, ".ruby-version").strip()
    match = re.match(r"^(?:ruby-)?(\d+\.\d+(?:\.\d+)?)$", text)
    if match:
        return match.group(1), ".ruby-version"
    gemfile = p.read_text(source, "Gemfile")
    match = re.search(r"(?m)^\s*ruby\s+['\"](\d+\.\d+(?:\.\d+)?)['\"]", gemfile)
    if match:
        return match.group(1), "Gemfile"
    return "", ""


def default_web(source: Path) -> str:
    """Return the default web command: rails, else puma or rackup for a config.ru."""
    if p.is_file(source, "config/application.rb") and p.is_file(source, "bin/rails"):
        return "bundle exec rails server -b 0.0.0.0 -p $PORT"
    if p.is_file(source, "config.ru"):
        lock = p.read_text(source, "Gemfile.lock") + p.read_text(source, "Gemfile")
        if re.search(r"\bpuma\b", lock):
            return "bundle exec puma -b tcp://0.0.0.0:$PORT"
        return "bundle exec rackup -o 0.0.0.0 -p $PORT"
    return ""
