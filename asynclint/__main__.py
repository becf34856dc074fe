import os
import sys

# ``python -m asynclint`` puts the current directory first on the import path, where the code
# being linted could shadow the modules asynclint imports next (click, libcst...): drop it.
if not getattr(sys.flags, "safe_path", False) and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from asynclint.cli import main

if __name__ == "__main__":
    main(prog_name="asynclint")
