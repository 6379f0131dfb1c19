"""The hot commands must not import heavy libraries (Docker SDK, Jinja2, ACME, pluggy)."""

import json
import os
import subprocess
import sys

HEAVY = ("docker", "jinja2", "acme", "pluggy", "requests")

PROBE = """
import json, sys
from pydokku.cli import main
main(sys.argv[1:])
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})), file=sys.stderr)
"""


def loaded_heavy_modules(tmp_path, *args):
    env = {**os.environ, "DOKKU_ROOT": str(tmp_path / "h"), "DOKKU_LIB_ROOT": str(tmp_path / "l")}
    env.pop("SSH_ORIGINAL_COMMAND", None)
    code = PROBE.format(heavy=set(HEAVY))
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=False
    )
    return json.loads(proc.stderr.strip().splitlines()[-1])


def test_apps_list_imports_nothing_heavy(tmp_path):
    assert loaded_heavy_modules(tmp_path, "apps:list") == []


def test_config_get_imports_nothing_heavy(tmp_path):
    assert loaded_heavy_modules(tmp_path, "config:get", "--global", "NOPE") == []


def test_help_imports_no_docker_sdk(tmp_path):
    assert "docker" not in loaded_heavy_modules(tmp_path, "help")


STDLIB_PROBE = """
import sys
from pydokku.cli import main
main(sys.argv[1:])
loaded = ' '.join(m for m in ('re', 'argparse', 'pathlib') if m in sys.modules)
print('loaded:' + loaded, file=sys.stderr)
"""


def loaded_slow_stdlib(tmp_path, *args):
    env = {**os.environ, "DOKKU_ROOT": str(tmp_path / "h"), "DOKKU_LIB_ROOT": str(tmp_path / "l")}
    env.pop("SSH_ORIGINAL_COMMAND", None)
    proc = subprocess.run(
        [sys.executable, "-c", STDLIB_PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    marked = [line for line in proc.stderr.splitlines() if line.startswith("loaded:")]
    return marked[-1].removeprefix("loaded:")


def test_plain_reads_skip_argparse_re_and_pathlib(tmp_path):
    """re, argparse and pathlib cost ~10 ms together; plain reads need none of them."""
    assert loaded_slow_stdlib(tmp_path, "apps:list") == ""
    assert loaded_slow_stdlib(tmp_path, "config:get", "--global", "NOPE") == ""


CRYPTO_PROBE = """
import sys
from pydokku.cli import main
main(sys.argv[1:])
print(' '.join(sorted(m for m in sys.modules if m.startswith('cryptography'))), file=sys.stderr)
"""


def loaded_crypto(env, *args):
    proc = subprocess.run(
        [sys.executable, "-c", CRYPTO_PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stderr.strip().splitlines()[-1].split() if proc.stderr.strip() else []


def test_only_commands_using_values_import_the_cipher(tmp_path):
    """Decrypting costs ~7 ms of imports: commands that list names never pay it."""
    env = {**os.environ, "DOKKU_ROOT": str(tmp_path / "h"), "DOKKU_LIB_ROOT": str(tmp_path / "l")}
    env.pop("SSH_ORIGINAL_COMMAND", None)
    for args in (("apps:create", "a"), ("config:set", "--no-restart", "a", "K=secret")):
        subprocess.run([sys.executable, "-m", "pydokku", *args], env=env, check=True)
    assert loaded_crypto(env, "apps:list") == []
    assert loaded_crypto(env, "config:keys", "a") == []
    used = loaded_crypto(env, "config:get", "a", "K")
    assert "cryptography.hazmat.bindings._rust" in used
    # the public module would add ~30 ms of imports; the vault reaches the class without it
    assert "cryptography.hazmat.primitives.ciphers.aead" not in used
