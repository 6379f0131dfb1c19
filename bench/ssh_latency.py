"""SSH hop latency: `ssh dokku@127.0.0.1 apps:list` against local `dokku apps:list` + handshake.

Claim under test: the SSH hop adds no more than the SSH handshake itself, i.e.
    ssh_ms <= local_ms + handshake_ms   (10 % slack for noise).

The handshake baseline must be the same hop doing nothing: same sshd binary and config
(PAM included), same user (dokku, whose login shell runs the forced command), same key type,
same client options. sshd on port 22 always forces `dokku` for pydokku's keys, so the bench
starts a private sshd on a free loopback port with `ForceCommand /bin/true` and an
authorized_keys file of its own, and stops it (by its PID) at the end. Root's own login is
not used: it would change root's authorized_keys and measure another user and PAM path.

A fourth row splits the result: the same forced command run locally as the dokku user
(`runuser`, with SSH_ORIGINAL_COMMAND, NAME and FINGERPRINT set as sshd sets them), to
tell the cost of the SSH transport from the cost of the CLI's own SSH path.

Needs root and `./install.sh`. Prints a table and one JSON line. BENCH_RUNS (default 20)
bounds the runs of each command; every run has a 30 s timeout.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
WARMUP = 2
SLACK = 1.10
DOKKU = "/usr/local/bin/dokku"
SSHD = "/usr/sbin/sshd"
HOST = "127.0.0.1"
TIMEOUT = 30


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
        check=True,
    )
    return time.perf_counter() - start


def median_ms(argv: list[str], env: dict[str, str] | None = None) -> float:
    for _ in range(WARMUP):
        timed(argv, env)
    return statistics.median(timed(argv, env) for _ in range(RUNS)) * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for_banner(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the private sshd exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as conn:
                if conn.recv(8).startswith(b"SSH-"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the private sshd did not answer within 10 s")


@contextmanager
def bench_key(directory: Path) -> Iterator[Path]:
    """Yield a fresh key registered as a dokku SSH key (and in the private sshd's file)."""
    private = directory / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", str(private)],
        check=True,
    )
    public = private.with_name("id_ed25519.pub").read_text()
    # Readable by the dokku user, who is who sshd reads authorized_keys as.
    authorized = directory / "authorized_keys"
    authorized.write_text(public)
    authorized.chmod(0o644)
    name = f"bench-{secrets.token_hex(4)}"
    subprocess.run(
        [DOKKU, "--quiet", "ssh-keys:add", name, "-"],
        input=public,
        text=True,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    try:
        yield private
    finally:
        subprocess.run([DOKKU, "ssh-keys:remove", name], stdout=subprocess.DEVNULL, check=False)


@contextmanager
def private_sshd(directory: Path) -> Iterator[int]:
    """Run the system's sshd and config on a free loopback port forcing `/bin/true`."""
    port = free_port()
    argv = [
        SSHD,
        "-D",
        "-e",
        "-f",
        "/etc/ssh/sshd_config",
        "-o",
        f"ListenAddress={HOST}:{port}",
        "-o",
        f"PidFile={directory / 'sshd.pid'}",
        "-o",
        f"AuthorizedKeysFile={directory / 'authorized_keys'}",
        "-o",
        "ForceCommand=/bin/true",
        # The file lives under /tmp (mode 1777), which StrictModes rejects.
        "-o",
        "StrictModes=no",
        "-o",
        "AllowUsers=dokku",
    ]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_banner(port, proc)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ssh_argv(key: Path, port: int, *command: str) -> list[str]:
    return [
        "ssh",
        "-F",
        "/dev/null",
        "-p",
        str(port),
        "-i",
        str(key),
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        f"dokku@{HOST}",
        *command,
    ]


def forced_command_argv() -> tuple[list[str], dict[str, str]]:
    """Return the local equivalent of what sshd runs for `ssh dokku@HOST apps:list`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSH_", "DOKKU_"))}
    env.update(SSH_ORIGINAL_COMMAND="apps:list", NAME="bench", FINGERPRINT="SHA256:bench")
    keep = "SSH_ORIGINAL_COMMAND,NAME,FINGERPRINT"
    return ["runuser", "-u", "dokku", "-w", keep, "--", "bash", "-c", DOKKU], env


def main() -> int:
    if os.geteuid() != 0 or not os.access(DOKKU, os.X_OK):
        print("ssh_latency needs root and an installed pydokku (./install.sh)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="pydokku-bench-") as tmp:
        directory = Path(tmp)
        directory.chmod(0o755)
        with bench_key(directory) as key, private_sshd(directory) as port:
            local = median_ms([DOKKU, "apps:list"])
            forced = median_ms(*forced_command_argv())
            handshake = median_ms(ssh_argv(key, port))
            over_ssh = median_ms(ssh_argv(key, 22, "apps:list"))
    overhead = over_ssh - local
    ok = over_ssh <= (local + handshake) * SLACK
    rows = [
        ("dokku apps:list (local)", local),
        ("ssh handshake (/bin/true)", handshake),
        ("ssh dokku@ apps:list", over_ssh),
        ("  SSH hop (ssh - local)", overhead),
        ("forced command, local", forced),
        ("  CLI's SSH path (- local)", forced - local),
    ]
    print(f"{'command':<30}{'median ms':>10}")
    for label, value in rows:
        print(f"{label:<30}{value:>10.1f}")
    verdict = "OK" if ok else "SLOWER THAN TARGET"
    print(f"target: ssh <= (local + handshake) x {SLACK:.2f} -> {verdict}")
    record = {
        "bench": "ssh_latency",
        "runs": RUNS,
        "local_ms": round(local, 2),
        "handshake_ms": round(handshake, 2),
        "ssh_ms": round(over_ssh, 2),
        "hop_overhead_ms": round(overhead, 2),
        "hop_to_handshake_ratio": round(overhead / handshake, 2),
        "forced_command_local_ms": round(forced, 2),
        "ok": ok,
    }
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
