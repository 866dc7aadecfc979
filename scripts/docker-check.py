#!/usr/bin/env python3
"""Stands in for `docker build` and `docker run` where no Docker engine runs.

Reads docker/Dockerfile, lays exactly what each stage's COPY lines bring into a temporary root, runs the build
stage's swift commands there (package resolve, the release build of yiye), assembles the runtime stage from its
COPY lines, checks with ldd that every library the binary needs comes from a package the runtime stage installs
(or the slim base image has), then starts the binary with the image's environment against a PostgreSQL of its own
and waits for /health/ready.

Fails when a COPY the build needs is missing, when the runtime lacks a file the binary needs (resources, sql/), or
when a library has no package in the runtime stage.

Usage: scripts/docker-check.py [--omit-copy TEXT]   (--omit-copy drops the COPY lines containing TEXT, to show
the check fails without them)
"""
import argparse
import fnmatch
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What debian:bookworm-slim has before any apt-get install (its libraries that a binary may link).
SLIM_BASE = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1", "liblzma5", "libbz2-1.0", "libselinux1",
             "libpcre2-8-0", "libcrypt1", "libtinfo6", "libudev1", "libsystemd0", "libgcrypt20", "libgpg-error0",
             "liblz4-1", "libcap2"}


def instructions(path):
    """(instruction, argument text) pairs, continuation lines joined, comments dropped."""
    lines, current = [], ""
    with open(path, encoding="utf-8") as file:
        for raw in file:
            line = raw.rstrip("\n")
            if not current and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                current += line[:-1] + " "
                continue
            current += line
            word, _, rest = current.strip().partition(" ")
            lines.append((word.upper(), rest.strip()))
            current = ""
    return lines


def stages(path, omit):
    result = []
    for word, rest in instructions(path):
        if word == "FROM":
            result.append({"from": rest, "steps": []})
        elif word == "COPY" and omit and omit in rest:
            print(f"omitting: COPY {rest}")
        else:
            result[-1]["steps"].append((word, rest))
    return result


def dockerignore():
    path = os.path.join(REPO, ".dockerignore")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as file:
        return [line.strip().strip("/") for line in file if line.strip() and not line.startswith("#")]


def copy(source, destination, ignored):
    def ignore(directory, names):
        relative = os.path.relpath(directory, REPO)
        return {n for n in names if any(fnmatch.fnmatch(os.path.normpath(os.path.join(relative, n)), p) for p in ignored)}
    if os.path.isdir(source):
        shutil.copytree(source, destination, ignore=ignore, dirs_exist_ok=True, symlinks=True)
    else:
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copy2(source, destination)


def inside(root, workdir, path):
    """A path of the image, laid under `root`."""
    absolute = path if path.startswith("/") else os.path.join(workdir, path)
    return os.path.join(root, absolute.lstrip("/"))


def run(command, **kwargs):
    print("+", command if isinstance(command, str) else " ".join(command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


def build_stage(stage, root):
    workdir, ignored = "/", dockerignore()
    created = set()
    for word, rest in stage["steps"]:
        if word == "WORKDIR":
            workdir = rest
            created.add(rest.rstrip("/"))
            os.makedirs(inside(root, "/", rest), exist_ok=True)
        elif word == "COPY":
            *sources, destination = shlex.split(rest)
            for source in sources:
                target = inside(root, workdir, destination)
                if destination.endswith("/") or len(sources) > 1:
                    target = os.path.join(target, os.path.basename(source.rstrip("/")))
                copy(os.path.join(REPO, source), target, ignored)
        elif word == "RUN":
            if rest.startswith("apt-get"):
                missing = [p for p in apt_packages(rest) if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode]
                if missing:
                    sys.exit(f"the build stage installs {missing}, which this machine lacks (.ci/run installs them)")
                continue
            created |= {"/" + m for m in re.findall(r"mkdir -p /(\w+)", rest)}
            command = rest
            for path in sorted(created, key=len, reverse=True):
                command = re.sub(rf"(?<![\w/.]){re.escape(path)}(?=[/\s\"']|$)", inside(root, "/", path), command)
            run(["bash", "-ec", command], cwd=inside(root, "/", workdir))


def apt_packages(command):
    packages = []
    for part in command.split("&&"):
        words = part.split()
        if "install" in words:
            packages += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return packages


def runtime_stage(stage, build_root, root):
    workdir, env, installed, entry = "/", {}, set(), []
    for word, rest in stage["steps"]:
        if word == "WORKDIR":
            workdir = rest
            os.makedirs(inside(root, "/", rest), exist_ok=True)
        elif word == "RUN" and "apt-get" in rest:
            installed |= set(apt_packages(rest))
        elif word == "COPY":
            words = shlex.split(rest)
            origin = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            *sources, destination = [w for w in words if not w.startswith("--")]
            for source in sources:
                base = inside(build_root, "/", source) if origin else os.path.join(REPO, source)
                target = inside(root, workdir, destination)
                if origin and source.endswith("/"):
                    copy(base, target, [])
                else:
                    copy(base, target if not destination.endswith("/") else os.path.join(target, os.path.basename(source)), [])
        elif word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                env[key] = value
        elif word in ("ENTRYPOINT", "CMD"):
            entry += eval(rest)  # a JSON array of strings in our Dockerfile
    return workdir, env, installed, entry


def check_libraries(binary, installed):
    output = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    problems = []
    for line in output.splitlines():
        match = re.search(r"=>\s*(\S+)", line)
        if "not found" in line:
            problems.append(line.strip())
        if not match or not match.group(1).startswith("/"):
            continue
        owner = subprocess.run(["dpkg", "-S", os.path.realpath(match.group(1))], capture_output=True, text=True)
        if owner.returncode:
            owner = subprocess.run(["dpkg", "-S", match.group(1)], capture_output=True, text=True)
        package = owner.stdout.split(":")[0].strip()
        if package not in installed | SLIM_BASE:
            problems.append(f"{match.group(1)} comes from {package or 'no package'}, which the runtime stage does not install")
    print("libraries:", ", ".join(sorted({l.split()[0] for l in output.splitlines() if l.strip()})))
    return problems


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_postgres(work):
    bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
    if not os.path.exists(os.path.join(bindir, "initdb")):
        bindir = sorted(d for d in (f"/usr/lib/postgresql/{v}/bin" for v in os.listdir("/usr/lib/postgresql")))[-1]
    data, port = os.path.join(work, "pg"), free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    os.makedirs(data)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    run(as_postgres + [f"{bindir}/initdb", "-D", data, "-U", "yiye", "--auth=trust", "-E", "UTF8"], stdout=subprocess.DEVNULL)
    run(as_postgres + [f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(data, "log"), "-w", "start",
                       "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1"], stdout=subprocess.DEVNULL)
    run(as_postgres + [f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "yiye", "yiye"])
    return lambda: subprocess.run(as_postgres + [f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True), port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--omit-copy", default="")
    options = parser.parse_args()
    build, runtime = stages(os.path.join(REPO, "docker", "Dockerfile"), options.omit_copy)
    work = tempfile.mkdtemp(prefix="yiye-docker-")
    os.chmod(work, 0o755)
    stop_postgres, server = None, None
    try:
        started = time.time()
        build_stage(build, os.path.join(work, "build"))
        print(f"build stage done in {time.time() - started:.0f} s", flush=True)
        root = os.path.join(work, "run")
        workdir, env, installed, entry = runtime_stage(runtime, os.path.join(work, "build"), root)
        binary = inside(root, workdir, entry[0])
        if not os.path.exists(binary):
            sys.exit(f"the runtime stage has no {entry[0]}")
        problems = check_libraries(binary, installed)
        if problems:
            sys.exit("libraries missing from the runtime stage:\n  " + "\n  ".join(problems))
        stop_postgres, pg_port = start_postgres(work)
        port = free_port()
        environment = {"PATH": "/usr/bin:/bin", "HOME": work, "YIYE_PORT": str(port),
                       "DATABASE_URL": f"postgres://yiye@127.0.0.1:{pg_port}/yiye?sslmode=disable"}
        for key, value in env.items():
            environment.setdefault(key, inside(root, "/", value) if value.startswith("/app") else value)
        environment["YIYE_PORT"] = str(port)
        print("environment:", {k: v for k, v in environment.items() if k.startswith(("YIYE", "DATABASE", "TZ"))}, flush=True)
        log = open(os.path.join(work, "serve.log"), "w")
        server = subprocess.Popen([binary] + entry[1:], cwd=inside(root, "/", workdir), env=environment, stdout=log, stderr=log)
        ready = False
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as answer:
                    ready = answer.status == 200
            except OSError:
                pass
            if ready or server.poll() is not None:
                break
            time.sleep(0.1)
        if not ready:
            log.flush()
            print(open(os.path.join(work, "serve.log")).read()[-4000:])
            sys.exit("the image's binary did not become ready")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.yaml", timeout=5) as answer:
            assert answer.status == 200 and b"openapi:" in answer.read(200), "the spec is not served"
        print(f"docker check: image builds, its libraries are installed, /health/ready answers 200 on port {port}")
    finally:
        if server and server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        if stop_postgres:
            stop_postgres()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
