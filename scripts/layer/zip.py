#!/usr/bin/env python3
"""zip.py OUT.zip DIR: zip DIR's files (paths relative to DIR, sorted, Unix
modes kept, fixed timestamps) so the same inputs give the same layer."""
import os
import sys
import zipfile


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: zip.py OUT.zip DIR")
    out, root = sys.argv[1], sys.argv[2]
    files = []
    for d, _, names in os.walk(root):
        files += [os.path.join(d, n) for n in names]
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(files):
            info = zipfile.ZipInfo(os.path.relpath(f, root), date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (os.stat(f).st_mode & 0o7777 | 0o100000) << 16
            info.create_system = 3  # Unix: unzip and Lambda honour the mode bits
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(f, "rb") as fh:
                z.writestr(info, fh.read())
    os.replace(tmp, out)


main()
