"""What each host module sends to a host: Ansible's packed module (AnsiballZ: the module and every
module_utils file it imports, zipped and base64-encoded), kept on disk with
ANSIBLE_KEEP_REMOTE_FILES=1 after a run against localhost (connection local, check mode; a module
that refuses these arguments on the host has been sent all the same). Prints one table: the whole
file, and the collection's share of it (the rest is ansible-core's own module_utils, the same for
every module). The controller-only modules never travel (their action plugins run them on the
controller).

    .venv/bin/python benchmarks/payloads.py
"""

from __future__ import annotations

import base64
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
LINK = json.dumps(dict(method="bond_lacp", links=[dict(name="bond0", ports=["nosuch-a", "nosuch-b"])],
                       backend="auto", live=False))
# module -> arguments that make it reach the host (and, where they can, do nothing there)
HOST_MODULES = {
    "link": LINK,
    "link_facts": "",
    "lldp_neighbors": json.dumps(dict(interfaces=["nosuch-a"], wait=0)),
    "failover_drill": json.dumps(dict(target="127.0.0.1", names=["nosuch0"])),
}


def packed(module, args, home):
    """(bytes of the packed module, bytes of the collection's code in its zip, compressed, and the
    collection's files in it) as it reached the host."""
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_KEEP_REMOTE_FILES="1",
               ANSIBLE_REMOTE_TMP=home, ANSIBLE_NOCOLOR="1", PATH=BIN + os.pathsep + os.environ["PATH"])
    subprocess.run([os.path.join(BIN, "ansible"), "localhost", "-c", "local", "-C", "-m",
                    "redundant.interfaces." + module] + (["-a", args] if args else []), env=env, cwd=ROOT,
                   capture_output=True, check=False)
    (path,) = glob.glob(os.path.join(home, "ansible-tmp-*", "AnsiballZ_%s.py" % module))
    text = open(path).read()
    data = max(re.findall(r"[A-Za-z0-9+/=]{1000,}", text), key=len)  # the embedded zip, base64
    ours = [entry for entry in zipfile.ZipFile(io.BytesIO(base64.b64decode(data))).infolist()
            if entry.filename.startswith("ansible_collections/redundant/") and entry.file_size]
    return len(text.encode()), sum(entry.compress_size for entry in ours), sorted(
        os.path.basename(entry.filename)[:-3] for entry in ours if "/module_utils/" in entry.filename)


def main():
    print("| module | sent to the host (KB) | of it the collection's code, zipped (KB) | module_utils it carries |")
    print("|---|---|---|---|")
    for module, args in HOST_MODULES.items():
        home = tempfile.mkdtemp(prefix="payload-")
        try:
            total, code, carried = packed(module, args, home)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        print("| %s | %.1f | %.1f | %s |" % (module, total / 1024.0, code / 1024.0, ", ".join(carried)))


if __name__ == "__main__":
    main()
