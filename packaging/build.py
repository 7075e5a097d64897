#!/usr/bin/env python3
"""Build Call Launcher's standalone folder (PyInstaller, onedir) and the installers made from it.

    python3 dev.py package deb        # Linux: dist/call-launcher_<version>_<arch>.deb
    python3 dev.py package tarball    # Linux: dist/call-launcher-<version>-linux-<machine>.tar.gz
    python3 dev.py package linux      # both, from one PyInstaller run
    python3 dev.py package windows    # Windows: dist/call-launcher-<version>-windows-x64-setup.exe (Inno Setup)
    python3 dev.py package macos      # macOS: dist/call-launcher-<version>-macos-<arch>.dmg
    python3 dev.py package app        # only the PyInstaller folder, in build/pyinstaller/dist/

``dev.py`` runs this file with the project's .venv (installed with the ``package`` extra). Options:
``--reuse`` skips PyInstaller when build/pyinstaller/dist already holds a build (for iterating on the
installer steps); ``--fast`` compresses the .deb and the tarball lightly (CI smoke tests: about 100 s
less, the .deb about 4 MiB larger). The target machine needs no Python: everything is in the folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
ICONS = RESOURCES / "icons"
BUILD = ROOT / "build"
PYI_DIST = BUILD / "pyinstaller" / "dist"
PYI_WORK = BUILD / "pyinstaller" / "work"
DIST = ROOT / "dist"
APP = "call-launcher"
APP_ID = "io.github.call_launcher"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
MAINTAINER = os.environ.get("CALL_LAUNCHER_MAINTAINER",
                            "Call Launcher developers <call-launcher@users.noreply.github.com>")


class BuildError(Exception):
    """A build step failed; the message says which and what to do."""


def log(message: str) -> None:
    print(f"[package] {message}", flush=True)


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(args, check=True, text=True, **kwargs)  # type: ignore[call-overload]
    except FileNotFoundError:
        raise BuildError(f"{args[0]} is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise BuildError(f"{' '.join(map(str, args))} failed with exit code {exc.returncode}") from None


def project_version() -> str:
    version = str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])
    init = (ROOT / "launcher" / "__init__.py").read_text()
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', init, re.M)
    if found and found.group(1) != version:
        raise BuildError(f"pyproject.toml says {version} but launcher/__init__.py says {found.group(1)}")
    metainfo = (RESOURCES / f"{APP_ID}.metainfo.xml").read_text()
    if f'version="{version}"' not in metainfo:
        log(f"warning: resources/{APP_ID}.metainfo.xml has no <release version=\"{version}\">; add one")
    return version


def check_icons() -> None:
    missing = [size for size in ICON_SIZES if not (ICONS / f"{APP}-{size}.png").exists()]
    if missing:
        raise BuildError(f"resources/icons lacks {APP}-{missing[0]}.png: run packaging/make_icons.py")


# --- icons for Windows and macOS -------------------------------------------------------------


def write_ico(target: Path, sizes: Iterable[int] = ICO_SIZES) -> Path:
    """A Windows .ico holding the committed PNGs as they are (PNG entries: Windows Vista and later)."""
    pngs = [(size, (ICONS / f"{APP}-{size}.png").read_bytes()) for size in sizes]
    header = (0).to_bytes(2, "little") + (1).to_bytes(2, "little") + len(pngs).to_bytes(2, "little")
    entries, blobs = b"", b""
    offset = 6 + 16 * len(pngs)
    for size, png in pngs:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += bytes([dim, dim, 0, 0]) + (1).to_bytes(2, "little") + (32).to_bytes(2, "little")
        entries += len(png).to_bytes(4, "little") + (offset + len(blobs)).to_bytes(4, "little")
        blobs += png
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(header + entries + blobs)
    return target


def write_icns(target: Path) -> Path:
    """A macOS .icns made by iconutil from an .iconset of the committed PNGs (macOS only)."""
    iconset = target.with_suffix(".iconset")
    shutil.rmtree(iconset, ignore_errors=True)
    iconset.mkdir(parents=True)
    for size in (16, 32, 128, 256, 512):
        shutil.copy(ICONS / f"{APP}-{size}.png", iconset / f"icon_{size}x{size}.png")
        if size * 2 in ICON_SIZES:
            shutil.copy(ICONS / f"{APP}-{size * 2}.png", iconset / f"icon_{size}x{size}@2x.png")
    run(["iconutil", "-c", "icns", str(iconset), "-o", str(target)])
    return target


# --- the PyInstaller folder ------------------------------------------------------------------


def freeze(version: str, reuse: bool) -> Path:
    folder = PYI_DIST / APP
    if reuse and folder.is_dir():
        log(f"reusing {folder.relative_to(ROOT)}")
        return folder
    env = dict(os.environ, CALL_LAUNCHER_VERSION=version)
    if sys.platform == "win32":
        env["CALL_LAUNCHER_ICO"] = str(write_ico(BUILD / "icons" / f"{APP}.ico"))
    if sys.platform == "darwin":
        env["CALL_LAUNCHER_ICNS"] = str(write_icns(BUILD / "icons" / f"{APP}.icns"))
    log("PyInstaller: freezing the app (about a minute)")
    started = time.monotonic()
    BUILD.mkdir(parents=True, exist_ok=True)
    with open(BUILD / "pyinstaller.log", "w") as out:
        code = subprocess.call(
            [sys.executable, "-m", "PyInstaller", str(PACKAGING / f"{APP}.spec"), "--noconfirm", "--clean",
             "--log-level", "WARN", "--distpath", str(PYI_DIST), "--workpath", str(PYI_WORK)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    if code:
        tail = (BUILD / "pyinstaller.log").read_text(errors="replace").splitlines()[-30:]
        raise BuildError("PyInstaller failed; the end of build/pyinstaller.log:\n" + "\n".join(tail))
    write_notices(folder)
    elapsed = time.monotonic() - started
    log(f"PyInstaller done in {elapsed:.0f} s: {folder.relative_to(ROOT)} ({mib(tree_size(folder))})")
    return folder


def bundled_top_level_modules() -> set[str]:
    """Top-level module names PyInstaller put into the build (pure modules and extensions)."""
    import ast

    names: set[str] = set()
    for toc_name in ("PYZ-00.toc", "COLLECT-00.toc"):
        toc = PYI_WORK / APP / toc_name
        if not toc.exists():
            continue
        try:
            data = ast.literal_eval(toc.read_text())
        except (ValueError, SyntaxError):
            continue
        entries = [item for part in data if isinstance(part, list) for item in part]
        for item in entries:
            if isinstance(item, tuple) and item and isinstance(item[0], str):
                first = re.split(r"[./\\]", item[0])[0]
                names.add(first.split(".")[0])
    return names


def write_notices(folder: Path) -> Path:
    """THIRD-PARTY-NOTICES.txt in the folder: every bundled distribution with its version and licence."""
    import importlib.metadata as metadata

    modules = bundled_top_level_modules()
    dists: dict[str, tuple[str, str]] = {}
    for top, names in metadata.packages_distributions().items():
        if top not in modules:
            continue
        for name in names:
            if name.replace("_", "-").lower() == APP:
                continue
            meta = metadata.metadata(name)
            licence = meta["License-Expression"] or ""
            if not licence:
                classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                               if c.startswith("License ::")]
                licence = ", ".join(classifiers) or (meta["License"] or "see the project").splitlines()[0][:60]
            dists[meta["Name"]] = (meta["Version"], licence)
    lines = [
        "Call Launcher bundles the following software. Each keeps its own licence; the licence texts of the",
        "Python packages are in _internal/*.dist-info where the package ships one, and at their projects.",
        "",
        f"Python {platform.python_version()}  PSF-2.0 (https://docs.python.org/3/license.html)",
        "Qt 6 (in PySide6-Essentials)  LGPL-3.0-only (https://www.qt.io/licensing/open-source-lgpl-obligations);",
        "  the Qt libraries are separate shared libraries in _internal/PySide6/Qt/lib and may be replaced.",
        "ICU (in PySide6-Essentials)  Unicode-3.0",
        "OpenSSL and SQLite, as linked by Python  Apache-2.0 / public domain",
        "",
    ]
    for name, (version, licence) in sorted(dists.items(), key=lambda item: item[0].lower()):
        lines.append(f"{name} {version}  {licence}")
    target = folder / "THIRD-PARTY-NOTICES.txt"
    target.write_text("\n".join(lines) + "\n")
    return target


def tree_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


# --- Linux: system libraries and Depends -----------------------------------------------------


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(folder: Path) -> tuple[dict[str, Path], list[str], str]:
    """System libraries the bundle's binaries link directly: {soname: path}, unresolved, max GLIBC."""
    internal = folder / "_internal"
    lib_path = os.pathsep.join(str(p) for p in (internal, internal / "PySide6" / "Qt" / "lib"))
    env = dict(os.environ, LD_LIBRARY_PATH=lib_path)
    bundled = {p.name for p in folder.rglob("*") if p.is_file()}
    needed: set[str] = set()
    resolved: dict[str, Path] = {}
    missing: dict[str, list[str]] = {}
    glibc = (2, 17)
    for elf in elf_files(folder):
        dynamic = subprocess.run(["objdump", "-p", str(elf)], capture_output=True, text=True).stdout
        direct = set(re.findall(r"^\s+NEEDED\s+(\S+)", dynamic, re.M))
        symbols = subprocess.run(["objdump", "-T", str(elf)], capture_output=True, text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", symbols):
            glibc = max(glibc, (int(major), int(minor)))
        ldd = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env).stdout
        for soname, target in re.findall(r"^\s*(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$", ldd, re.M):
            if soname not in direct or soname in bundled:
                continue
            if target == "not found":
                missing.setdefault(soname, []).append(str(elf.relative_to(folder)))
            else:
                needed.add(soname)
                resolved[soname] = Path(target)
    problems = [f"{soname} (needed by {', '.join(users[:3])})" for soname, users in sorted(missing.items())]
    return resolved, problems, f"{glibc[0]}.{glibc[1]}"


def owning_packages(paths: Iterable[Path]) -> dict[Path, str]:
    """The Debian package that owns each path (one dpkg-query call; merged /usr spelled either way)."""
    spellings: dict[str, Path] = {}
    for path in paths:
        for text in {str(path), os.path.realpath(path)}:
            spellings[text] = path
            spellings[text[4:] if text.startswith("/usr/") else "/usr" + text] = path
    out = subprocess.run(["dpkg-query", "-S", *sorted(spellings)], capture_output=True, text=True).stdout
    owners: dict[Path, str] = {}
    for line in out.splitlines():
        package, _, owned = line.partition(": ")
        if owned in spellings:
            owners.setdefault(spellings[owned], package.split(",")[0].split(":")[0].strip())
    return owners


def deb_depends(folder: Path) -> list[str]:
    resolved, missing, glibc = system_libraries(folder)
    if missing:
        raise BuildError(
            "these libraries that the bundle links are not installed on this build machine, so the .deb's "
            "Depends cannot be computed. Install the Qt runtime packages (see packaging/README.md), then "
            "build again:\n  " + "\n  ".join(missing))
    owners = owning_packages(resolved.values())
    unowned = sorted(str(path) for path in resolved.values() if path not in owners)
    if unowned:
        raise BuildError("no Debian package owns these libraries the bundle links: " + ", ".join(unowned))
    packages = sorted(set(owners.values()) - {"libc6"})
    return [f"libc6 (>= {glibc})", *packages]


# --- Linux: .deb and tarball -----------------------------------------------------------------


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, symlinks=True)


def install_desktop_files(root: Path, prefix: str = "usr/share") -> None:
    share = root / prefix
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy(RESOURCES / f"{APP}.desktop", share / "applications" / f"{APP}.desktop")
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    shutil.copy(RESOURCES / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    for size in ICON_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(ICONS / f"{APP}-{size}.png", target / f"{APP}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy(ICONS / f"{APP}.svg", scalable / f"{APP}.svg")


def deb_architecture() -> str:
    return run(["dpkg", "--print-architecture"], capture_output=True).stdout.strip()


def build_deb(folder: Path, version: str, fast: bool = False) -> Callable[[], Path]:
    """Stage the package and start dpkg-deb; the returned function waits for it (so the tarball is
    compressed meanwhile, on the other core)."""
    arch = deb_architecture()
    staging = BUILD / "deb" / f"{APP}_{version}_{arch}"
    shutil.rmtree(staging, ignore_errors=True)
    copy_tree(folder, staging / "opt" / APP)
    (staging / "usr" / "bin").mkdir(parents=True)
    # Relative, so the tree also works where it is unpacked with dpkg -x (the smoke test does that).
    (staging / "usr" / "bin" / APP).symlink_to(f"../../opt/{APP}/{APP}")
    install_desktop_files(staging)
    doc = staging / "usr" / "share" / "doc" / APP
    doc.mkdir(parents=True)
    shutil.copy(PACKAGING / "linux" / "copyright", doc / "copyright")
    for path in staging.rglob("*"):  # dpkg-deb refuses group/other-writable control files; be tidy
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    started = time.monotonic()
    depends = deb_depends(folder)
    log(f"Depends computed in {time.monotonic() - started:.0f} s")
    control_dir = staging / "DEBIAN"
    control_dir.mkdir()
    installed_kib = (tree_size(staging) + 1023) // 1024
    description = (PACKAGING / "linux" / "description.txt").read_text().strip().splitlines()
    control = "\n".join([
        f"Package: {APP}",
        f"Version: {version}",
        f"Architecture: {arch}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {', '.join(depends)}",
        "Section: comm",
        "Priority: optional",
        f"Description: {description[0]}",
        *[f" {line}" if line.strip() else " ." for line in description[1:]],
    ]) + "\n"
    (control_dir / "control").write_text(control)
    for script in ("postinst", "postrm"):
        shutil.copy(PACKAGING / "linux" / script, control_dir / script)
        (control_dir / script).chmod(0o755)
    DIST.mkdir(exist_ok=True)
    target = DIST / f"{APP}_{version}_{arch}.deb"
    log(f"Depends: {', '.join(depends)}")
    level = 1 if fast else 6
    log(f"dpkg-deb: building {target.name} (xz -{level}{'' if fast else ', about a minute and a half'})")
    target.unlink(missing_ok=True)
    process = subprocess.Popen(["dpkg-deb", "--root-owner-group", "-Zxz", f"-z{level}", "--build", str(staging),
                                str(target)], stdout=subprocess.DEVNULL)

    def finish() -> Path:
        if process.wait():
            raise BuildError(f"dpkg-deb failed with exit code {process.returncode}")
        log(f"{target.relative_to(ROOT)}: {mib(target.stat().st_size)} (installed {mib(installed_kib * 1024)})")
        return target

    return finish


def build_tarball(folder: Path, version: str, fast: bool = False) -> Path:
    machine = platform.machine().lower() or "unknown"
    name = f"{APP}-{version}-linux-{machine}"
    staging = BUILD / "tarball" / name
    shutil.rmtree(staging.parent, ignore_errors=True)
    copy_tree(folder, staging)
    install_desktop_files(staging, prefix="share")
    shutil.copy(PACKAGING / "linux" / "INSTALL.md", staging / "INSTALL.md")
    shutil.copy(PACKAGING / "linux" / "install-desktop-entry.sh", staging / "install-desktop-entry.sh")
    (staging / "install-desktop-entry.sh").chmod(0o755)
    DIST.mkdir(exist_ok=True)
    target = DIST / f"{name}.tar.gz"

    def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    log(f"tar: building {target.name}")
    with tarfile.open(target, "w:gz", compresslevel=1 if fast else 6) as archive:
        archive.add(staging, arcname=name, filter=owned_by_root)
    log(f"{target.relative_to(ROOT)}: {mib(target.stat().st_size)} (unpacked {mib(tree_size(staging))})")
    return target


# --- Windows and macOS -----------------------------------------------------------------------


def find_iscc() -> str:
    for candidate in (os.environ.get("ISCC"), shutil.which("iscc"), shutil.which("ISCC"),
                      r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe", r"C:\Program Files\Inno Setup 6\ISCC.exe"):
        if candidate and Path(candidate).exists():
            return candidate
    raise BuildError("Inno Setup's ISCC.exe was not found: choco install innosetup, or set ISCC=path\\to\\ISCC.exe")


def build_windows(folder: Path, version: str) -> Path:
    DIST.mkdir(exist_ok=True)
    name = f"{APP}-{version}-windows-x64-setup"
    log(f"Inno Setup: building {name}.exe")
    ico = write_ico(BUILD / "icons" / f"{APP}.ico")
    run([find_iscc(), "/Q", f"/DAppVersion={version}", f"/DSourceDir={folder}", f"/DOutputDir={DIST}",
         f"/DOutputBaseName={name}", f"/DIconFile={ico}",
         str(PACKAGING / "windows" / f"{APP}.iss")])
    target = DIST / f"{name}.exe"
    log(f"{target.relative_to(ROOT)}: {mib(target.stat().st_size)} (installed {mib(tree_size(folder))})")
    return target


def build_dmg(version: str) -> Path:
    bundle = PYI_DIST / "Call Launcher.app"
    if not bundle.is_dir():
        raise BuildError(f"{bundle} is missing: the spec's BUNDLE step did not run")
    staging = BUILD / "dmg"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    run(["ditto", str(bundle), str(staging / bundle.name)])
    (staging / "Applications").symlink_to("/Applications")
    notices = PYI_DIST / APP / "THIRD-PARTY-NOTICES.txt"
    if notices.exists():  # next to the app: writing into the signed bundle would break its signature
        shutil.copy(notices, staging / notices.name)
    DIST.mkdir(exist_ok=True)
    target = DIST / f"{APP}-{version}-macos-{platform.machine()}.dmg"
    target.unlink(missing_ok=True)
    log(f"hdiutil: building {target.name}")
    run(["hdiutil", "create", "-volname", "Call Launcher", "-srcfolder", str(staging), "-ov", "-format", "UDZO",
         str(target)], stdout=subprocess.DEVNULL)
    log(f"{target.relative_to(ROOT)}: {mib(target.stat().st_size)} (app {mib(tree_size(bundle))})")
    return target


# --- main ------------------------------------------------------------------------------------

TARGETS = {"app", "deb", "tarball", "linux", "windows", "macos"}
PLATFORM_OF = {"deb": "linux", "tarball": "linux", "linux": "linux", "windows": "win32", "macos": "darwin"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("targets", nargs="*", default=[], metavar="TARGET",
                        help=f"one or more of {', '.join(sorted(TARGETS))} (default: this platform's installers)")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing PyInstaller folder")
    parser.add_argument("--fast", action="store_true", help="light compression (for CI smoke tests)")
    args = parser.parse_args(argv)
    default = {"linux": ["linux"], "win32": ["windows"], "darwin": ["macos"]}
    current = "linux" if sys.platform.startswith("linux") else sys.platform
    targets = args.targets or default.get(current, ["app"])
    try:
        for target in targets:
            if target not in TARGETS:
                raise BuildError(f"unknown target {target!r}; choose from {', '.join(sorted(TARGETS))}")
            if PLATFORM_OF.get(target, current) != current:
                raise BuildError(f"{target} is built on {PLATFORM_OF[target]}, not here ({current}): PyInstaller "
                                 "does not cross-compile. .github/workflows/installers.yml builds all three.")
        started = time.monotonic()
        version = project_version()
        check_icons()
        folder = freeze(version, args.reuse)
        deb_done = build_deb(folder, version, args.fast) if "deb" in targets or "linux" in targets else None
        if "tarball" in targets or "linux" in targets:
            build_tarball(folder, version, args.fast)
        if deb_done:
            deb_done()
        if "windows" in targets:
            build_windows(folder, version)
        if "macos" in targets:
            build_dmg(version)
        log(f"done in {time.monotonic() - started:.0f} s")
    except BuildError as exc:
        print(f"package: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
